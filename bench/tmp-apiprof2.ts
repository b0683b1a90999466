import autocannon from 'autocannon';
import { ProcessGroup } from '../test/support/processes.js';
import { benchEnvironment } from './lib/environment.js';
import { AUTH, seedOrders } from './lib/traffic.js';

const environment = await benchEnvironment(JSON.parse(process.env.EXTRA_ENV ?? '{}'));
const group = new ProcessGroup();
const api = await group.spawn('api', {
  env: environment.env,
  logLevel: 'warn',
  nodeArgs: process.env.PROF
    ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--cpu-prof-name=api-create2.cpuprofile']
    : [],
});
const orders = await seedOrders(environment.databaseUrl, 40000);
let i = 0;
const r = await autocannon({
  url: api.url + '/api/v1/payments',
  connections: 64,
  duration: Number(process.env.SECS ?? 10),
  method: 'POST',
  headers: AUTH,
  requests: [
    {
      setupRequest: (req: autocannon.Request) => ({
        ...req,
        body: JSON.stringify({ order_id: orders[i++ % orders.length], method: 'upi', vpa: 'a@b' }),
      }),
    },
  ],
});
console.log(`rps ${r.requests.average} p50 ${r.latency.p50} p99 ${r.latency.p99} non2xx ${r.non2xx}`);
await api.stop('SIGTERM');
await group.killAll();
await environment.dispose();
process.exit(0);
