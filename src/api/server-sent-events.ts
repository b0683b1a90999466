import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * A Server-Sent Events response on a hijacked reply: the headers Fastify would have sent (CORS,
 * request id) plus the stream's, a `retry` hint, comment heartbeats so proxies and load balancers
 * keep an idle stream open, and writes that wait while the client is slow to read.
 */
export class ServerSentEvents {
  private readonly res: ServerResponse;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closeHandlers: Array<() => void> = [];
  closed = false;

  constructor(reply: FastifyReply, heartbeatMs: number, retryMs = 1000) {
    this.res = reply.raw;
    reply.hijack();
    const inherited = Object.fromEntries(
      Object.entries(reply.getHeaders()).filter(([, value]) => value !== undefined),
    ) as Record<string, string | number | string[]>;
    this.res.writeHead(200, {
      ...inherited,
      'X-Request-Id': String(reply.request.id),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx buffers responses unless told not to.
      'X-Accel-Buffering': 'no',
    });
    this.res.write(`retry: ${retryMs}\n: stream open\n\n`);
    this.heartbeat = setInterval(() => this.res.write(': heartbeat\n\n'), heartbeatMs);
    this.res.on('close', () => this.markClosed());
    this.res.on('error', () => this.markClosed());
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  /** One message; resolves once the client has room for more (or is gone). */
  async send(id: string, data: string): Promise<void> {
    if (this.closed) return;
    const room = this.res.write(`id: ${id}\ndata: ${data}\n\n`);
    if (room) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  end(): void {
    if (!this.closed) this.res.end();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}
