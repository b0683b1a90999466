import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** The environment a developer command gets: PATH and what the test gives, nothing of the test's own. */
const environment = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  ...env,
});

/** Runs `node dist/cli.js …` to its end. */
export async function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: environment(env),
      timeout: timeoutMs,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * A long-running developer command (`gateway listen`), as a user runs it from a script: no terminal
 * and standard input closed at once. Its output is kept line by line.
 */
export class CliProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      env: environment(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdin?.end();
    for (const [stream, lines] of [
      [this.child.stdout, this.stdout],
      [this.child.stderr, this.stderr],
    ] as const) {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        lines.push(...parts);
      });
    }
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The first stdout line matching, once it is printed. */
  async waitForLine(match: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this.stdout) {
        const found = match.exec(line);
        if (found) return found;
      }
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `no line matching ${match} (exit ${this.child.exitCode})\nstdout:\n${this.stdout.join('\n')}\nstderr:\n${this.stderr.join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
