import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL cluster that a fault test may stop and start at will, so restarting the
 * database never disturbs the machine's shared cluster (where other test files are running). It is
 * initdb'd into a temporary directory, listens on a free loopback port with trust authentication,
 * and skips fsync for speed: its data is worthless once the test ends.
 *
 * PostgreSQL refuses to run as root, so when the tests run as root the server runs as the `postgres`
 * OS user.
 */
export class PrivatePostgres {
  private running = false;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly settings: readonly string[],
  ) {}

  /** `settings` (`name=value`) are passed to the server after the defaults below, so they win. */
  static async create(settings: readonly string[] = []): Promise<PrivatePostgres> {
    const bin = postgresBinDir();
    const dataDir = await mkdtemp(join(tmpdir(), 'gw-fault-pg-'));
    if (runsAsRoot()) {
      const [uid, gid] = ['-u', '-g'].map((flag) =>
        Number(execFileSync('id', [flag, 'postgres']).toString()),
      );
      await chown(dataDir, uid as number, gid as number);
    }
    const server = new PrivatePostgres(dataDir, await freePort(), bin, settings);
    await server.exec('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    live.add(server);
    await server.start();
    return server;
  }

  /** postgresql://postgres@127.0.0.1:<port>/<database> */
  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dataDir}`,
      // Only the server process is ever killed, never the machine, so what reached the OS survives:
      // skipping fsync is safe. Commits stay synchronous, or a crash would lose acknowledged ones.
      '-c fsync=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
      ...this.settings.map((setting) => `-c ${setting}`),
    ].join(' ');
    const log = join(this.dataDir, 'server.log');
    await this.exec('pg_ctl', ['-D', this.dataDir, '-l', log, '-o', options, '-w', '-t', '30', 'start']);
    this.running = true;
  }

  /** `immediate` is a crash (recovery on the next start); `fast` a clean shutdown that cuts clients off. */
  async stop(mode: 'fast' | 'immediate' = 'immediate'): Promise<void> {
    if (!this.running) return;
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
    this.running = false;
  }

  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    live.delete(this);
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Synchronous last resort when the test process exits without afterAll having run. */
  stopNow(): void {
    if (!this.running) return;
    try {
      execFileSync(...this.command('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', 'stop']), {
        stdio: 'ignore',
      });
    } catch {
      // already gone
    }
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const [file, argv] = this.command(tool, args);
    try {
      await run(file, argv, { cwd: tmpdir() });
    } catch (err) {
      const { stderr, stdout } = err as { stderr?: string; stdout?: string };
      throw new Error(`${tool} ${args.at(-1)} failed: ${stderr || stdout || (err as Error).message}`);
    }
  }

  private command(tool: string, args: string[]): [string, string[]] {
    const path = join(this.bin, tool);
    return runsAsRoot() ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
  }
}

const live = new Set<PrivatePostgres>();
process.once('exit', () => {
  for (const server of live) server.stopNow();
});

const runsAsRoot = () => process.getuid?.() === 0;

/** PG_BIN, or the newest /usr/lib/postgresql/<version>/bin (Debian's layout). */
function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error('PostgreSQL server binaries not found: set PG_BIN');
  return join(root, versions[0], 'bin');
}
