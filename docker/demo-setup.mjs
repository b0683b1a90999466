// One-shot set-up of the compose demo, through the public API only: points the test merchant's
// webhook URL at the bundled receiver, so every payment made in the demo is delivered, verified
// and listed at http://localhost:4000/events. A URL the merchant already configured is kept, so
// restarting the stack never undoes a change made in the dashboard.
const api = process.env.SETUP_API_URL ?? 'http://api:8000';
const webhookUrl = process.env.SETUP_WEBHOOK_URL ?? 'http://receiver:4000/webhook';
const headers = {
  'Content-Type': 'application/json',
  // The public test-merchant credentials (docs/api.md).
  'X-Api-Key': 'key_test_abc123',
  'X-Api-Secret': 'secret_test_xyz789',
};

async function call(method, path, body) {
  const response = await fetch(api + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

let current;
for (let attempt = 1; ; attempt += 1) {
  try {
    current = await call('GET', '/api/v1/merchant/webhook');
    break;
  } catch (err) {
    if (attempt >= 60) {
      console.error(`demo setup: the API at ${api} is not answering: ${err.message}`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

if (current.webhook_url) {
  console.log(`demo setup: webhook URL already configured (${current.webhook_url}); left as it is`);
} else {
  await call('PUT', '/api/v1/merchant/webhook', { webhook_url: webhookUrl });
  console.log(`demo setup: test merchant webhooks now go to ${webhookUrl}`);
}
