// A merchant webhook endpoint in its own process (so the load generator's event loop never delays its
// answers): answers 200 at once, notes when each webhook arrived, and hands the notes over on
// GET /arrivals. Prints its port on stdout when listening.
import { createServer } from 'node:http';

const arrivals = [];
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/arrivals') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(arrivals));
    return;
  }
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(String(arrivals.length));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const at = Date.now();
    const body = Buffer.concat(chunks).toString('utf8');
    const paymentId = /"payment":\{"id":"(pay_[A-Za-z0-9]{16})"/.exec(body)?.[1] ?? null;
    arrivals.push({
      id: String(req.headers['x-webhook-id']),
      event: String(req.headers['x-webhook-event']),
      paymentId,
      at,
    });
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
