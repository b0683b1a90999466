import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  id: string;
  event: string;
  paymentId: string | null;
  at: number;
}

/** A merchant endpoint that answers 200 at once and notes when each webhook arrived. */
export class ArrivalSink {
  readonly arrivals: Arrival[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<ArrivalSink> {
    const server = createServer();
    const sink = new ArrivalSink(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const at = Date.now();
        const body = Buffer.concat(chunks).toString('utf8');
        const paymentId = /"payment":\{"id":"(pay_[A-Za-z0-9]{16})"/.exec(body)?.[1] ?? null;
        sink.arrivals.push({
          id: String(req.headers['x-webhook-id']),
          event: String(req.headers['x-webhook-event']),
          paymentId,
          at,
        });
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
