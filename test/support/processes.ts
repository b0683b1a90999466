import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { dropDatabase } from './databases.js';
import { freePort } from './redis-server.js';

/**
 * Real gateway processes for tests: `node dist/cli.js <command>`, exactly what production runs, so
 * signals, exits, crashes and several processes sharing one PostgreSQL and Redis can be tested.
 *
 *   const processes = new ProcessGroup();
 *   afterAll(() => processes.killAll());
 *   const env = await testEnvironment();                 // fresh database and queue prefix
 *   const api = await processes.spawn('api', { env });   // resolves once GET /health answers 200
 *   const worker = await processes.spawn('worker', { env });
 *   await request(api.url, 'GET', '/api/v1/test/jobs/status');
 *   await worker.kill();                                 // SIGKILL, like a crash
 *   const exit = await api.stop();                       // SIGTERM, then { code, signal, durationMs }
 *
 * dist/ must be built first (`npm test` does; by hand: `npm run build`). Every port variable is a
 * free port unless the test gives one, so processes never collide with each other or with the
 * machine's own gateway. Output (the JSON log lines) is kept in memory for assertions and for the
 * error message when a process dies early. A process only ever signals children it spawned, and any
 * still running when the test process exits are killed.
 */

export type GatewayCommand = 'start' | 'api' | 'worker' | 'checkout' | 'receiver' | 'migrate';

/** How to tell that a process is ready: an HTTP path answering 2xx on its main port, or a log line. */
export type Readiness = { http: string } | { log: string | RegExp };

export interface SpawnOptions {
  /** Gateway environment, typically from testEnvironment(); only PATH, HOME and locale are inherited. */
  env: Record<string, string>;
  /** Defaults per command: `/health` for api and receiver, `/checkout.js` for checkout, the
   * "workers started" log line for worker, "gateway started" for start, a clean exit for migrate.
   * `false`: return at once. */
  ready?: Readiness | false;
  /** Default 40 s: amid the whole suite on a slow day an API process has printed nothing for 20 s. */
  readyTimeoutMs?: number;
  /** Log level of the child (default info, so readiness and assertions can read its logs). */
  logLevel?: string;
  /** Shown in error messages (default: the command). */
  name?: string;
  /** Extra arguments for node itself, e.g. ['--cpu-prof'] (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  /** Another build's `dist/cli.js` (a benchmark's baseline checkout); default this checkout's. */
  cli?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StopResult extends ExitInfo {
  /** From sending the signal to the process having exited. */
  durationMs: number;
}

/** A JSON log line of a child, with its fields. */
export type LogLine = Record<string, unknown> & { msg?: string };

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const PORT_VARIABLES = ['PORT', 'DASHBOARD_PORT', 'CHECKOUT_PORT', 'RECEIVER_PORT', 'METRICS_PORT'] as const;
const INHERITED = ['PATH', 'HOME', 'LANG', 'TZ', 'SYSTEMROOT'];
const KEEP_LINES = 100_000;

const MAIN_PORT: Record<GatewayCommand, (typeof PORT_VARIABLES)[number]> = {
  start: 'PORT',
  api: 'PORT',
  worker: 'METRICS_PORT',
  checkout: 'CHECKOUT_PORT',
  receiver: 'RECEIVER_PORT',
  migrate: 'PORT',
};

const DEFAULT_READINESS: Record<GatewayCommand, Readiness | 'exit'> = {
  // Logged once the API, workers, checkout server and receiver are all up.
  start: { log: 'gateway started' },
  api: { http: '/health' },
  worker: { log: 'workers started' },
  checkout: { http: '/checkout.js' },
  receiver: { http: '/health' },
  migrate: 'exit',
};

/** Every child still running, so none outlives the test process. */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

export class GatewayProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<ExitInfo>;
  private exit: ExitInfo | undefined;
  private readonly lineWaiters = new Set<() => void>();

  private constructor(
    readonly command: GatewayCommand,
    readonly name: string,
    readonly env: Record<string, string>,
    readonly child: ChildProcess,
  ) {
    alive.add(child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        alive.delete(child);
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) if (line) this.lines.push(line);
        if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
        this.notify();
      });
    }
  }

  /** Starts `node dist/cli.js <command>` and waits until it is ready (see SpawnOptions.ready). */
  static async spawn(command: GatewayCommand, options: SpawnOptions): Promise<GatewayProcess> {
    const cli = options.cli ?? CLI;
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    const env: Record<string, string> = {};
    for (const name of INHERITED) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    Object.assign(env, options.env, { LOG_LEVEL: options.logLevel ?? 'info' });
    const chosenPorts = PORT_VARIABLES.filter((name) => options.env[name] === undefined);
    for (let attempt = 1; ; attempt++) {
      for (const name of chosenPorts) env[name] = String(await freePort());
      const started = await GatewayProcess.start(command, options, env);
      const readiness = options.ready ?? DEFAULT_READINESS[command];
      if (readiness === false) return started;
      try {
        await started.waitUntilReady(readiness, options.readyTimeoutMs ?? 40_000);
        // A port taken between choosing and binding makes the child exit at once, possibly after
        // another server on that port answered the readiness probe: make sure it is still up.
        if (readiness === 'exit' || !('http' in readiness)) return started;
        await new Promise((resolve) => setTimeout(resolve, 150));
        if (started.running) return started;
      } catch (err) {
        await started.kill();
        if (!(chosenPorts.length > 0 && started.lostPortRace() && attempt < 3)) throw err;
        continue;
      }
      if (!(chosenPorts.length > 0 && started.lostPortRace() && attempt < 3)) {
        throw new Error(`${started.name} exited right after becoming ready\n${started.tail()}`);
      }
    }
  }

  private static async start(
    command: GatewayCommand,
    options: SpawnOptions,
    env: Record<string, string>,
  ): Promise<GatewayProcess> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.cli ?? CLI, command], {
      env: { ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new GatewayProcess(command, options.name ?? command, { ...env }, child);
  }

  /** True when the process died because one of its ports was taken (a race worth one more try). */
  lostPortRace(): boolean {
    return this.lines.some((line) => line.includes('EADDRINUSE'));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  get exitInfo(): ExitInfo | undefined {
    return this.exit;
  }

  port(variable: (typeof PORT_VARIABLES)[number] = MAIN_PORT[this.command]): number {
    return Number(this.env[variable]);
  }

  /** http://127.0.0.1:<main port>: the API for api/start, the metrics listener for worker. */
  get url(): string {
    return `http://127.0.0.1:${this.port()}`;
  }

  /** Where this process's Prometheus metrics are served. */
  get metricsUrl(): string {
    const variable = this.command === 'worker' ? 'METRICS_PORT' : 'PORT';
    return `http://127.0.0.1:${this.port(variable)}/metrics`;
  }

  /** The output lines that are JSON log lines, parsed. */
  logs(): LogLine[] {
    const parsed: LogLine[] = [];
    for (const line of this.lines) {
      try {
        const value = JSON.parse(line) as unknown;
        if (value && typeof value === 'object') parsed.push(value as LogLine);
      } catch {
        // not a log line (e.g. a stack trace on stderr)
      }
    }
    return parsed;
  }

  /** Resolves with the first log line (past or future) whose msg matches; rejects on exit or timeout. */
  async waitForLog(
    match: string | RegExp | ((line: LogLine) => boolean),
    timeoutMs = 20_000,
  ): Promise<LogLine> {
    const test =
      typeof match === 'function'
        ? match
        : (line: LogLine) =>
            typeof match === 'string' ? line.msg === match : match.test(String(line.msg ?? ''));
    return this.waitUntil(`log line ${String(match)}`, timeoutMs, () => this.logs().find(test));
  }

  /** Sends a signal without waiting (e.g. SIGTERM now, then assert while it drains). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /**
   * Sends `signal` (default SIGTERM) and waits for the exit. A process still running after
   * `timeoutMs` is killed with SIGKILL and the call rejects: a graceful shutdown must be bounded.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<StopResult> {
    const started = Date.now();
    if (!this.running) return { ...(this.exit as ExitInfo), durationMs: 0 };
    this.child.kill(signal);
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
    const outcome = await Promise.race([this.exited, timer]);
    if (outcome === 'timeout') {
      await this.kill();
      throw new Error(`${this.name} did not exit within ${timeoutMs} ms of ${signal}\n${this.tail()}`);
    }
    return { ...outcome, durationMs: Date.now() - started };
  }

  /** SIGKILL, like a crash or the OOM killer; resolves once the process is gone. */
  async kill(): Promise<ExitInfo> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** The last output lines, for error messages. */
  tail(count = 30): string {
    return this.lines.slice(-count).join('\n');
  }

  private async waitUntilReady(readiness: Readiness | 'exit', timeoutMs: number): Promise<void> {
    if (readiness === 'exit') {
      const exit = await this.waitUntil('exit', timeoutMs, () => this.exit);
      if (exit.code !== 0) throw new Error(`${this.name} exited with ${exit.code}\n${this.tail()}`);
      return;
    }
    if ('log' in readiness) {
      await this.waitForLog(readiness.log, timeoutMs);
      return;
    }
    const url = this.url + readiness.http;
    await this.waitUntil(`GET ${readiness.http} → 2xx`, timeoutMs, async () => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        return response.ok;
      } catch {
        return false;
      }
    });
  }

  /** Polls `check` on every output line and at least every 50 ms; fails if the process exits first. */
  private async waitUntil<T>(
    what: string,
    timeoutMs: number,
    check: () => T | Promise<T>,
  ): Promise<NonNullable<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value as NonNullable<T>;
      if (!this.running && what !== 'exit') {
        throw new Error(`${this.name} exited (${JSON.stringify(this.exit)}) before ${what}\n${this.tail()}`);
      }
      if (Date.now() > deadline)
        throw new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.tail()}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.lineWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, 50);
        this.lineWaiters.add(wake);
      });
    }
  }

  private notify(): void {
    for (const wake of [...this.lineWaiters]) wake();
  }
}

/** The processes one test file starts; `killAll()` in afterAll leaves none behind. */
export class ProcessGroup {
  readonly processes: GatewayProcess[] = [];

  async spawn(command: GatewayCommand, options: SpawnOptions): Promise<GatewayProcess> {
    const started = await GatewayProcess.spawn(command, options);
    this.processes.push(started);
    return started;
  }

  /** SIGKILLs every process of the group that is still running. */
  async killAll(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill()));
  }
}

/**
 * Removes what a testEnvironment() left behind once its processes are gone: the database, and every
 * Redis key under its queue prefix (queues, heartbeats). Other prefixes are never touched.
 */
export async function removeEnvironment(env: Record<string, string>): Promise<void> {
  const prefix = env.QUEUE_PREFIX;
  if (env.REDIS_URL && prefix) {
    const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
  if (env.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
}
