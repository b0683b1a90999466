import autocannon from 'autocannon';
import { benchEnvironment } from '/work/main/bench/lib/environment.js';
import { AUTH } from '/work/main/bench/lib/traffic.js';
import { ProcessGroup } from '/work/main/test/support/processes.js';

const environment = await benchEnvironment(JSON.parse(process.env.EXTRA_ENV ?? '{}'));
if (process.env.SOCKET) {
  const u = new URL(environment.databaseUrl);
  environment.env.DATABASE_URL = `postgresql://postgres@/${u.pathname.slice(1)}?host=/var/run/postgresql`;
}
if (process.env.DBOPTS) {
  environment.env.DATABASE_URL += `?options=${encodeURIComponent(process.env.DBOPTS)}`;
}
if (process.env.DROPFK) {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: environment.databaseUrl });
  await c.connect();
  for (const sql of process.env.DROPFK.split(';')) if (sql.trim()) await c.query(sql);
  await c.end();
}
const group = new ProcessGroup();
const api = await group.spawn('api', {
  env: environment.env,
  logLevel: 'warn',
  nodeArgs: process.env.PROF
    ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--cpu-prof-name=api-create.cpuprofile']
    : [],
});
const order = (await (
  await fetch(`${api.url}/api/v1/orders`, {
    method: 'POST',
    headers: AUTH,
    body: JSON.stringify({ amount: 50000 }),
  })
).json()) as { id: string };
const path = process.env.PATHX ?? '/api/v1/payments';
const r = await autocannon({
  url: api.url + path,
  connections: 64,
  duration: Number(process.env.SECS ?? 10),
  method: 'POST',
  headers: AUTH,
  body: JSON.stringify(
    path.includes('orders') ? { amount: 500 } : { order_id: order.id, method: 'upi', vpa: 'a@b' },
  ),
});
console.log(`rps ${r.requests.average} p50 ${r.latency.p50} p99 ${r.latency.p99} non2xx ${r.non2xx}`);
await api.stop('SIGTERM');
await group.killAll();
await environment.dispose();
process.exit(0);
