import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Arrival {
  id: string;
  event: string;
  paymentId: string | null;
  at: number;
}

const SERVER = fileURLToPath(new URL('./arrival-sink-server.mjs', import.meta.url));

/** A merchant endpoint in a child process that answers 200 and notes when each webhook arrived. */
export class ArrivalSink {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(): Promise<ArrivalSink> {
    const child = spawn(process.execPath, [SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once('exit', (code) => reject(new Error(`arrival sink exited with ${code}`)));
    });
    return new ArrivalSink(child, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/webhook`;
  }

  async count(): Promise<number> {
    return Number(await (await fetch(`http://127.0.0.1:${this.port}/count`)).text());
  }

  /** Waits until `count` webhooks have arrived in all, or `timeoutMs` has passed. */
  async waitForCount(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.count()) < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async arrivals(): Promise<Arrival[]> {
    return (await (await fetch(`http://127.0.0.1:${this.port}/arrivals`)).json()) as Arrival[];
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}
