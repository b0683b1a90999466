import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

interface Node {
  port: number;
  process: ChildProcess;
}

/**
 * A private Redis Cluster of three masters, each with one replica, from Debian's redis-server on
 * free loopback ports. A small node timeout makes a replica take over within seconds of its
 * master's death. No persistence: its data is worthless once the test ends.
 */
export class RedisCluster {
  private constructor(
    private readonly dir: string,
    readonly nodes: Node[],
  ) {}

  static async start(): Promise<RedisCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'gw-redis-cluster-'));
    const nodes: Node[] = [];
    const taken = new Set<number>();
    const distinctFreePort = async (): Promise<number> => {
      for (;;) {
        const port = await freePort();
        if (!taken.has(port)) {
          taken.add(port);
          return port;
        }
      }
    };
    for (let i = 0; i < 6; i++) {
      const port = await distinctFreePort();
      // The cluster bus defaults to port + 10000, which can land in the kernel's ephemeral range
      // and be taken by an outgoing connection; a chosen free bus port below it cannot.
      const busPort = await distinctFreePort();
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '1000',
          // A replica whose link to its master was down a while (ten node timeouts, by default)
          // refuses to take over; on a loaded two-core machine that can leave a shard without a
          // master for good. Any replica may take over here: the tests check what it holds.
          '--cluster-replica-validity-factor',
          '0',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: 'ignore' },
      );
      nodes.push({ port, process: child });
    }
    const cluster = new RedisCluster(dir, nodes);
    live.add(cluster);
    for (const node of nodes) await waitForPing(node.port);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await cluster.waitUntilHealthy();
    return cluster;
  }

  /** The REDIS_CLUSTER_NODES value. */
  get nodeList(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  /** Ports of the live masters, as the cluster sees them now. */
  async masters(): Promise<number[]> {
    const { stdout } = await run('redis-cli', ['-p', String(this.liveNode()), 'cluster', 'nodes']);
    return stdout
      .split('\n')
      .filter((line) => line.includes('master') && !line.includes('fail'))
      .map((line) => Number(line.split(' ')[1]?.split('@')[0]?.split(':')[1]));
  }

  /** The port of the master serving a key (or hash tag) now. */
  async masterOf(key: string): Promise<number> {
    const client = new Redis({
      port: this.liveNode(),
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const slot = Number(await client.call('CLUSTER', 'KEYSLOT', key));
      const shards = (await client.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
      const owner = shards.find(([from, to]) => slot >= from && slot <= to);
      if (!owner) throw new Error(`no owner for slot ${slot}`);
      return owner[2][1];
    } finally {
      client.disconnect();
    }
  }

  private liveNode(): number {
    const alive = this.nodes.find(
      (node) => node.process.exitCode === null && node.process.signalCode === null,
    );
    if (!alive) throw new Error('no live cluster node');
    return alive.port;
  }

  /** Keys matching a pattern on one node. */
  async keysOn(port: number, pattern: string): Promise<string[]> {
    const { stdout } = await run('redis-cli', ['-p', String(port), '--scan', '--pattern', pattern]);
    return stdout.split('\n').filter(Boolean);
  }

  /** SIGKILL of one node. */
  kill(port: number): void {
    this.nodes.find((node) => node.port === port)?.process.kill('SIGKILL');
  }

  /** Waits until every live node reports the cluster as ok with three masters. */
  async waitUntilHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(
        this.nodes
          .filter((node) => node.process.exitCode === null && node.process.signalCode === null)
          .map((node) =>
            run('redis-cli', ['-p', String(node.port), 'cluster', 'info'])
              .then(({ stdout }) => stdout.includes('cluster_state:ok'))
              .catch(() => false),
          ),
      );
      if (states.every(Boolean) && (await this.masters().catch(() => [])).length === 3) return;
      if (Date.now() > deadline) throw new Error('the Redis Cluster did not become healthy');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async stop(): Promise<void> {
    live.delete(this);
    for (const node of this.nodes) node.process.kill('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'ping']);
      if (stdout.trim() === 'PONG') return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// A test that dies before its afterAll must not leave servers behind.
const live = new Set<RedisCluster>();
process.once('exit', () => {
  for (const cluster of live) for (const node of cluster.nodes) node.process.kill('SIGKILL');
});
