import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * The typed client: its types are generated from the OpenAPI document the API serves, and a change
 * to any route's schema without regenerating them fails here.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

/** What scripts/client-types.mjs prints for a document. */
function generate(document: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/client-types.mjs'], { cwd: root });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
    child.stdin.end(document);
  });
}

describe('typed client', () => {
  it('src/client/api-types.ts is what openapi-typescript makes of the served document', async () => {
    const served = await gw.request('GET', '/api/v1/openapi.json', { auth: false });
    expect(served.status).toBe(200);
    const committed = await readFile(`${root}/src/client/api-types.ts`, 'utf8');
    const generated = await generate(served.text);
    expect(generated.length).toBeGreaterThan(1000);
    // On failure: run `npm run client:generate` and commit the result.
    expect(committed).toBe(generated);
  });

  it('the generator notices a changed document', async () => {
    const served = JSON.parse((await gw.request('GET', '/api/v1/openapi.json', { auth: false })).text);
    served.paths['/api/v1/orders'].post.summary = 'changed';
    const committed = await readFile(`${root}/src/client/api-types.ts`, 'utf8');
    expect(await generate(JSON.stringify(served))).not.toBe(committed);
  });

  it('is the package’s payment-gateway/client entry and calls the API with its credentials', async () => {
    const script = `
      const { createGatewayClient } = await import('payment-gateway/client');
      const client = createGatewayClient({ apiUrl: process.argv[1], apiKey: 'key_test_abc123', apiSecret: 'secret_test_xyz789' });
      const created = await client.POST('/api/v1/orders', { body: { amount: 4200, receipt: 'typed' } });
      const read = await client.GET('/api/v1/orders/{id}', { params: { path: { id: created.data.id } } });
      const refused = await client.POST('/api/v1/orders', { body: { amount: 1 } });
      console.log(JSON.stringify({ status: created.response.status, read: read.data, refused: refused.error }));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script, gw.url],
      { cwd: root },
    );
    const result = JSON.parse(stdout);
    expect(result.status).toBe(201);
    expect(result.read).toMatchObject({ amount: 4200, receipt: 'typed', status: 'created' });
    expect(result.refused.error.code).toBe('BAD_REQUEST_ERROR');
  });
});
