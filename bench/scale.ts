import { PgBouncer } from '../test/support/pgbouncer.js';
import { RedisCluster } from '../test/support/redis-cluster.js';
import { runPipeline } from './pipeline.js';

/**
 * The pipeline of 2 API + 2 worker processes twice in one run: on one PostgreSQL and one Redis, and
 * on a private 3-master Redis Cluster (with replicas) through a private PgBouncer in transaction
 * mode, so the two figures compare as a ratio on the same machine at the same moment.
 */
const PAYMENTS = Number(process.env.BENCH_SCALE_PAYMENTS ?? 10_000);

export async function benchScale(): Promise<string> {
  const shape = { payments: PAYMENTS, apiProcesses: 2, workerProcesses: 2 };
  const single = await runPipeline({ ...shape, engines: 'one PostgreSQL, one Redis' });
  const cluster = await RedisCluster.start();
  const bouncer = await PgBouncer.start({ poolSize: 20 });
  try {
    const scaled = await runPipeline({
      ...shape,
      engines: 'Redis Cluster of 3 masters + 3 replicas, PgBouncer (transaction mode, 20 server connections)',
      env: (databaseUrl) => ({
        REDIS_CLUSTER_NODES: cluster.nodeList,
        DATABASE_URL: bouncer.url(new URL(databaseUrl).pathname.slice(1)),
        DATABASE_DIRECT_URL: databaseUrl,
      }),
    });
    return ['## Scale', '', single, '', scaled].join('\n');
  } finally {
    await bouncer.stop();
    await cluster.stop();
  }
}
