import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** One Redis, or a Redis Cluster (REDIS_CLUSTER_NODES): everything that queues takes either. */
export type RedisConnection = Redis | Cluster;

/**
 * Producers (the API) fail fast when Redis is away: a request must never wait for it, because the
 * payment is already committed and the sweeper will enqueue it later. Workers instead wait and retry
 * forever, as BullMQ requires for its blocking connections.
 */
export type RedisRole = 'producer' | 'worker';

/** How long a blocking read without a timeout of its own may wait before it settles empty. */
const BLOCKING_SAFETY_NET_MS = 30_000;

export function redisOptions(role: RedisRole): RedisOptions {
  const common: RedisOptions = {
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(100 * times, 2000),
  };
  return role === 'producer'
    ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 }
    : {
        ...common,
        maxRetriesPerRequest: null,
        enableReadyCheck: false,
        // A blocking read (the worker's BZPOPMIN) settles as an empty result at its own timeout plus
        // this grace even when its connection died under it, or a Cluster failover left it bouncing
        // between nodes. Without it the read can outlive BullMQ's own watchdog, whose reset of the
        // blocking connection can then race the Cluster's reconnection and park the worker for good
        // with jobs waiting. The grace stays below that watchdog's second.
        blockingTimeout: BLOCKING_SAFETY_NET_MS,
        blockingTimeoutGrace: 500,
      };
}

function clusterOptions(role: RedisRole): ClusterOptions {
  const { enableOfflineQueue, retryStrategy: _perNode, ...perNode } = redisOptions(role);
  return {
    redisOptions: perNode,
    enableOfflineQueue: enableOfflineQueue ?? true,
    clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
    // A failed-over master's slots move to its replica: follow the cluster's new map at once.
    retryDelayOnMoved: 0,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    slotsRefreshTimeout: 2000,
  };
}

export function createRedis(config: Config, role: RedisRole, log: Logger): RedisConnection {
  const redis = config.REDIS_CLUSTER_NODES
    ? new Cluster(clusterNodes(config.REDIS_CLUSTER_NODES), clusterOptions(role))
    : new Redis(config.REDIS_URL, { ...redisOptions(role), lazyConnect: false });
  let lastError = '';
  redis.on('error', (err: Error) => {
    // Reconnection attempts repeat the same error many times a second; log each new one once.
    if (err.message !== lastError) log.warn({ err: err.message, role }, 'redis connection error');
    lastError = err.message;
  });
  redis.on('ready', () => {
    if (lastError) log.info({ role }, 'redis connection restored');
    lastError = '';
  });
  return redis;
}

function clusterNodes(list: string): Array<{ host: string; port: number }> {
  return list.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

/**
 * The key prefix of one queue. On a cluster every key of a queue must share a hash slot (its Lua
 * scripts touch several at once), and each queue gets a hash tag of its own so that the queues
 * spread over the shards.
 */
export function queuePrefix(config: Config, queue: string): string {
  if (!config.REDIS_CLUSTER_NODES) return config.QUEUE_PREFIX;
  return `{${config.QUEUE_PREFIX.replace(/[{}]/g, '')}-${queue}}`;
}

/** Answers only when every part answers: the one server, or every master of the cluster. */
export async function pingEvery(redis: RedisConnection): Promise<void> {
  if (redis instanceof Cluster) {
    const masters = redis.nodes('master');
    if (masters.length === 0) throw new Error('no Redis Cluster master is known');
    await Promise.all(masters.map((node) => node.ping()));
    return;
  }
  await redis.ping();
}
