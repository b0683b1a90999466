import pg from 'pg';
import { type ApiResponse, type RequestOptions, request } from './gateway.js';
import { type GatewayProcess, ProcessGroup, removeEnvironment } from './processes.js';

export interface ProcessGatewayOptions {
  /** A full gateway environment, typically from testEnvironment(). */
  env: Record<string, string>;
  /** Worker processes to start (default 1). */
  workers?: number;
  /** Log level of every process (default info, so the logs can be scanned). */
  logLevel?: string;
  /** Run `gateway migrate` first (a database that is not a clone of the migrated template). */
  migrate?: boolean;
}

/**
 * A gateway made of real processes over one environment: an `api` process and N `worker` processes,
 * which a fault test may kill and restart, plus a database pool for checking what was written. Every
 * process ever started is kept, so the logs of killed ones can still be scanned.
 */
export class ProcessGateway {
  readonly group = new ProcessGroup();
  readonly db: pg.Pool;
  workers: GatewayProcess[] = [];
  private workerCount = 0;

  private constructor(
    readonly env: Record<string, string>,
    readonly api: GatewayProcess,
    private readonly logLevel: string,
  ) {
    this.db = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4, connectionTimeoutMillis: 2000 });
    // The database may be restarted under the pool by the test itself.
    this.db.on('error', () => undefined);
  }

  static async start(options: ProcessGatewayOptions): Promise<ProcessGateway> {
    const logLevel = options.logLevel ?? 'info';
    const group = new ProcessGroup();
    if (options.migrate) await group.spawn('migrate', { env: options.env, logLevel });
    const api = await group.spawn('api', { env: options.env, logLevel });
    const gateway = new ProcessGateway(options.env, api, logLevel);
    gateway.group.processes.push(...group.processes);
    for (let i = 0; i < (options.workers ?? 1); i++) await gateway.startWorker();
    return gateway;
  }

  get url(): string {
    return this.api.url;
  }

  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse> {
    return request(this.url, method, path, options);
  }

  async startWorker(): Promise<GatewayProcess> {
    this.workerCount += 1;
    const worker = await this.group.spawn('worker', {
      env: this.env,
      logLevel: this.logLevel,
      name: `worker-${this.workerCount}`,
    });
    this.workers.push(worker);
    return worker;
  }

  /** SIGKILLs a running worker (by default the oldest), like a crash or the OOM killer. */
  async killWorker(index = 0): Promise<GatewayProcess> {
    const running = this.workers.filter((w) => w.running);
    const victim = running[index % Math.max(running.length, 1)];
    if (!victim) throw new Error('no worker is running');
    await victim.kill();
    this.workers = this.workers.filter((w) => w !== victim);
    return victim;
  }

  /** Processes that exited on their own (not by the test's SIGKILL), each with its last output. */
  unexpectedExits(): string[] {
    return this.group.processes
      .filter((p) => p.command !== 'migrate' && !p.running && p.exitInfo?.signal !== 'SIGKILL')
      .map((p) => `${p.name} exited ${JSON.stringify(p.exitInfo)}:\n${p.tail(40)}`);
  }

  /** Every output line of every process this gateway ever ran, killed ones included. */
  allOutput(): string {
    return this.group.processes.map((p) => p.lines.join('\n')).join('\n');
  }

  /** Log lines at error level or above (pino: 50+), as "name: msg" strings. */
  errorLogs(): string[] {
    return this.group.processes.flatMap((p) =>
      p
        .logs()
        .filter((line) => typeof line.level === 'number' && line.level >= 50)
        .map((line) => `${p.name}: ${line.msg} ${JSON.stringify(line.err ?? '')}`),
    );
  }

  /**
   * Kills every process, then removes the environment's Redis keys and database. A database on a
   * private server (which the test destroys whole) is left alone with `dropDatabase: false`.
   */
  async close(options: { dropDatabase?: boolean } = {}): Promise<void> {
    await this.group.killAll();
    await this.db.end().catch(() => undefined);
    const { DATABASE_URL, ...withoutDatabase } = this.env;
    await removeEnvironment(options.dropDatabase === false ? withoutDatabase : this.env);
  }
}
