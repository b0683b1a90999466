import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  /** The path and query it was sent to. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the sink does with the n-th request (0-based): answer with a status, or never answer. */
export type SinkBehaviour = (
  index: number,
  request: ReceivedRequest,
) => { status: number; body?: string; delayMs?: number; headers?: Record<string, string> } | 'hang' | 'reset';

/** A merchant webhook endpoint for tests: records every request and answers as told. */
export class WebhookSink {
  readonly requests: ReceivedRequest[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;
  behaviour: SinkBehaviour;

  constructor(behaviour: SinkBehaviour = () => ({ status: 200 })) {
    this.behaviour = behaviour;
  }

  static async start(behaviour?: SinkBehaviour): Promise<WebhookSink> {
    const sink = new WebhookSink(behaviour);
    sink.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const received = {
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        const index = sink.requests.push(received) - 1;
        const action = sink.behaviour(index, received);
        if (action === 'hang') {
          sink.hanging.add(res);
          return;
        }
        if (action === 'reset') {
          req.socket.destroy();
          return;
        }
        const reply = () =>
          res
            .writeHead(action.status, { 'Content-Type': 'text/plain', ...action.headers })
            .end(action.body ?? 'ok');
        if (action.delayMs) setTimeout(reply, action.delayMs);
        else reply();
      });
    });
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/webhook`;
  }

  byEvent(event: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.headers['x-webhook-event'] === event);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
