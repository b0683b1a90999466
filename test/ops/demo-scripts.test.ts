import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { request, testEnvironment } from '../support/gateway.js';
import { type GatewayProcess, ProcessGroup, removeEnvironment } from '../support/processes.js';
import { freePort } from '../support/redis-server.js';

/**
 * The scripts the containers and submission.yml run, run for real against gateway processes built
 * from dist/: the healthcheck, the demo set-up (merchant webhooks → receiver), the readiness wait,
 * the curl smoke test, and every verify command of submission.yml with its ports mapped.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const processes = new ProcessGroup();
let env: Record<string, string>;
let api: GatewayProcess;
let checkout: GatewayProcess;
let receiver: GatewayProcess;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: root, env: { ...process.env, ...extraEnv }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  env = await testEnvironment();
  [api, receiver] = await Promise.all([
    processes.spawn('api', { env }),
    processes.spawn('receiver', { env }),
  ]);
  [checkout] = await Promise.all([
    processes.spawn('checkout', { env: { ...env, API_PUBLIC_URL: api.url, API_INTERNAL_URL: api.url } }),
    processes.spawn('worker', { env }),
  ]);
});
afterAll(async () => {
  await processes.killAll();
  if (env) await removeEnvironment(env);
});

const stackUrls = () => ({
  API_URL: api.url,
  CHECKOUT_URL: checkout.url,
  RECEIVER_URL: receiver.url,
});

describe('docker/healthcheck.mjs', () => {
  it('is healthy on a 2xx and unhealthy otherwise', async () => {
    const script = join(root, 'docker/healthcheck.mjs');
    expect((await run(process.execPath, [script, `${api.url}/health`])).code).toBe(0);
    expect((await run(process.execPath, [script, `${checkout.url}/checkout.js`])).code).toBe(0);
    expect((await run(process.execPath, [script, `${api.url}/no-such-page`])).code).toBe(1);
    expect((await run(process.execPath, [script, `http://127.0.0.1:${await freePort()}/health`])).code).toBe(
      1,
    );
    // Without an argument it probes the API's /health on PORT, as the image's HEALTHCHECK does.
    expect((await run(process.execPath, [script], { PORT: String(api.port()) })).code).toBe(0);
  });
});

describe('docker/demo-setup.mjs', () => {
  it('points the test merchant at the receiver once, then leaves the URL alone', async () => {
    const script = join(root, 'docker/demo-setup.mjs');
    const setupEnv = { SETUP_API_URL: api.url, SETUP_WEBHOOK_URL: `${receiver.url}/webhook` };
    const first = await run(process.execPath, [script], setupEnv);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('now go to');
    const configured = await request(api.url, 'GET', '/api/v1/merchant/webhook');
    expect(configured.body.webhook_url).toBe(`${receiver.url}/webhook`);

    const again = await run(process.execPath, [script], {
      ...setupEnv,
      SETUP_WEBHOOK_URL: 'http://elsewhere/x',
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('left as it is');
    expect((await request(api.url, 'GET', '/api/v1/merchant/webhook')).body.webhook_url).toBe(
      `${receiver.url}/webhook`,
    );
  });

  it('keeps retrying while the API is not up yet', async () => {
    const script = join(root, 'docker/demo-setup.mjs');
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    // The container waits up to a minute for the API; here it only has to be still waiting.
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, SETUP_API_URL: unreachable },
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('submission.yml steps', () => {
  it('waits until the stack is ready', async () => {
    const result = await run('sh', ['docker/wait-until-ready.sh'], { ...stackUrls(), WAIT_SECONDS: '30' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('stack ready');
  });

  it('passes the smoke test: order, payment, decision, verified webhook at the receiver', async () => {
    const result = await run('sh', ['docker/smoke-test.sh'], { ...stackUrls(), TIMEOUT_SECONDS: '30' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('smoke test passed');
  });

  it('passes every verify command', async () => {
    const submission = parse(readFileSync(join(root, 'submission.yml'), 'utf8')) as { verify: string[] };
    const ports: Record<string, number> = {
      '8000': api.port(),
      '3000': api.port('DASHBOARD_PORT'),
      '3001': checkout.port(),
      '4000': receiver.port(),
    };
    for (const command of submission.verify) {
      const mapped = command.replace(
        /localhost:(\d+)/g,
        (_, port: string) => `127.0.0.1:${ports[port] ?? port}`,
      );
      const result = await run('sh', ['-c', mapped]);
      expect(result.code, `${mapped}\n${result.stderr}`).toBe(0);
    }
  });
});
