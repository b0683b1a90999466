import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { hashApiSecret } from '../../src/domain/api-secrets.js';
import { adminUrl, databaseUrl, dropDatabase } from '../support/databases.js';
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

  it('creates a merchant with fresh credentials', { timeout: 60_000 }, async () => {
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
    expect(created.api_secret).toMatch(/^secret_test_[A-Za-z0-9]{32}$/);
    expect(created.webhook_secret).toMatch(/^whsec_/);
    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const row = await db.query('SELECT * FROM merchants WHERE id = $1', [created.id]);
    await db.end();
    expect(row.rows[0].password_hash).not.toContain('a long passphrase');
    // The secret is printed once and stored only as its hash.
    expect(row.rows[0].api_secret_hash).toBe(hashApiSecret(created.api_secret));
    expect(JSON.stringify(row.rows[0])).not.toContain(created.api_secret);

    const usage = await gateway(['merchant', 'create', '--name', 'x'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^Usage: gateway merchant create/);
  });

  it('prints its usage for an unknown command', async () => {
    const result = await gateway(['frobnicate'], {});
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^Usage: gateway <command>/);
  });

  it('answers --help and usage errors of every command without touching any database', {
    timeout: 180_000,
  }, async () => {
    const name = `gw_test_${inject('runId')}_untouched_${process.pid}`;
    const env = { DATABASE_URL: databaseUrl(name), REDIS_URL: 'redis://127.0.0.1:1' };
    const cases: Array<[string[], number, RegExp]> = [
      [['--help'], 0, /^Usage: gateway <command>/],
      [['help'], 0, /^Usage: gateway <command>/],
      ...['start', 'api', 'worker', 'checkout', 'receiver', 'migrate'].flatMap(
        (command): Array<[string[], number, RegExp]> => [
          [[command, '--help'], 0, /^Usage: gateway <command>/],
          [[command, '-h'], 0, /^Usage: gateway <command>/],
        ],
      ),
      [['merchant', '--help'], 0, /^Usage: gateway merchant create/],
      [['merchant', 'create', '--help'], 0, /^Usage: gateway merchant create/],
      [['merchant', 'deactivate', '-h'], 0, /^Usage: gateway merchant create/],
      [['merchant'], 2, /^Usage: gateway merchant create/],
      [['merchant', 'frobnicate'], 2, /^Usage: gateway merchant create/],
      [['merchant', 'create', '--name', 'x'], 2, /^Usage: gateway merchant create/],
      [['merchant', 'create', '--bogus'], 2, /^Usage: gateway merchant create/],
      [['merchant', 'deactivate'], 2, /^Usage: gateway merchant create/],
    ];
    try {
      for (const [args, code, usage] of cases) {
        const result = await gateway(args, env);
        expect([args.join(' '), result.code]).toEqual([args.join(' '), code]);
        expect(code === 0 ? result.stdout : result.stderr, args.join(' ')).toMatch(usage);
      }
      const admin = new pg.Client({ connectionString: adminUrl() });
      await admin.connect();
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      await admin.end();
      expect(found.rowCount).toBe(0);
    } finally {
      await dropDatabase(env.DATABASE_URL);
    }
  });
});
