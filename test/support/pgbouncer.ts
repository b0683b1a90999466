import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server.js';

const BINARY = '/usr/sbin/pgbouncer';

export interface PgBouncerOptions {
  /** host:port of the PostgreSQL behind it (default the machine's, 127.0.0.1:5432). */
  upstream?: { host: string; port: number };
  /** Server connections per database, across all its clients (default 10). */
  poolSize?: number;
}

/**
 * A private PgBouncer in transaction-pooling mode, started from Debian's binary on a free loopback
 * port in front of a PostgreSQL, with trust authentication. It refuses to run as root, so when the
 * tests run as root it drops to the `postgres` OS user.
 */
export class PgBouncer {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
    private readonly output: string[],
  ) {}

  static async start(options: PgBouncerOptions = {}): Promise<PgBouncer> {
    const upstream = options.upstream ?? { host: '127.0.0.1', port: 5432 };
    const port = await freePort();
    const dir = await mkdtemp(join(tmpdir(), 'gw-pgbouncer-'));
    const poolSize = options.poolSize ?? 10;
    const asRoot = process.getuid?.() === 0;
    await writeFile(join(dir, 'users.txt'), '"postgres" ""\n');
    await writeFile(
      join(dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `* = host=${upstream.host} port=${upstream.port}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${join(dir, 'users.txt')}`,
        'admin_users = postgres',
        'pool_mode = transaction',
        `default_pool_size = ${poolSize}`,
        `max_db_connections = ${poolSize}`,
        'max_client_conn = 500',
        'ignore_startup_parameters = extra_float_digits',
        `pidfile = ${join(dir, 'pgbouncer.pid')}`,
        ...(asRoot ? ['user = postgres'] : []),
        '',
      ].join('\n'),
    );
    if (asRoot) {
      const [uid, gid] = ['-u', '-g'].map((flag) =>
        Number(execFileSync('id', [flag, 'postgres']).toString()),
      );
      await chmod(dir, 0o755);
      for (const file of ['', 'users.txt', 'pgbouncer.ini'])
        await chown(join(dir, file), uid as number, gid as number);
    }
    const output: string[] = [];
    const child = spawn(BINARY, [join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk) => output.push(String(chunk)));
    child.stderr?.on('data', (chunk) => output.push(String(chunk)));
    const bouncer = new PgBouncer(port, dir, child, output);
    live.add(bouncer);
    await bouncer.waitUntilReady();
    return bouncer;
  }

  /** postgresql://postgres@127.0.0.1:<port>/<database>, through the pooler. */
  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** A query on the admin console (SHOW POOLS, SHOW SERVERS, …). */
  async admin(command: string): Promise<Record<string, unknown>[]> {
    // The console speaks only the simple query protocol.
    const client = new pg.Client({ connectionString: this.url('pgbouncer') });
    await client.connect();
    try {
      return (await client.query(command)).rows;
    } finally {
      await client.end();
    }
  }

  /** Server connections PgBouncer holds to the given database right now. */
  async serverConnections(database: string): Promise<number> {
    return (await this.admin('SHOW SERVERS')).filter((row) => row.database === database).length;
  }

  /** Client connections to the given database right now. */
  async clientConnections(database: string): Promise<number> {
    return (await this.admin('SHOW CLIENTS')).filter((row) => row.database === database).length;
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`pgbouncer exited: ${this.output.join('')}`);
      try {
        await this.admin('SHOW VERSION');
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`pgbouncer not ready: ${(err as Error).message} ${this.output.join('')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async stop(): Promise<void> {
    live.delete(this);
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

// A test that dies before its afterAll must not leave a pooler behind.
const live = new Set<PgBouncer>();
process.once('exit', () => {
  for (const bouncer of live) bouncer.stop().catch(() => undefined);
});
