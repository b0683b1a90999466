import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testEnvironment } from '../support/gateway.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

async function gateway(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('gateway command', () => {
  it.each([
    ['PORT', 'eighty'],
    ['TEST_PROCESSING_DELAY', '-5'],
    ['DATABASE_URL', 'mysql://localhost/x'],
  ])('stops on %s=%s with one line naming the variable', async (name, value) => {
    const result = await gateway(['api'], { [name]: value });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('creates a merchant with fresh credentials', async () => {
    const env = await testEnvironment();
    const result = await gateway(
      [
        'merchant',
        'create',
        '--name',
        'Chai Shop',
        '--email',
        'owner@chai.example',
        '--password',
        'a long passphrase',
      ],
      env,
    );
    expect(result.code).toBe(0);
    const created = JSON.parse(result.stdout);
    expect(created).toMatchObject({ name: 'Chai Shop', email: 'owner@chai.example' });
    expect(created.api_key).toMatch(/^key_test_[A-Za-z0-9]{16}$/);
    expect(created.webhook_secret).toMatch(/^whsec_/);
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const row = await db.query('SELECT password_hash FROM merchants WHERE id = $1', [created.id]);
    await db.end();
    expect(row.rows[0].password_hash).not.toContain('a long passphrase');

    const usage = await gateway(['merchant', 'create', '--name', 'x'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^Usage: gateway merchant create/);
  });

  it('prints its usage for an unknown command', async () => {
    const result = await gateway(['frobnicate'], {});
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^Usage: gateway <command>/);
  });
});
