import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createPool } from '../../src/db/pool.js';
import { createLogger } from '../../src/logger.js';
import { testEnvironment } from '../support/gateway.js';

describe('database pools', () => {
  it('wait for the disk on commit, except the webhook bookkeeping pool', async () => {
    const env = await testEnvironment();
    const log = createLogger('silent', 'test');
    const strict = createPool(loadConfig(env), log, 'strict');
    const relaxed = createPool(loadConfig(env), log, 'relaxed', { asynchronousCommit: true });
    const withOwnOptions = createPool(
      loadConfig({
        ...env,
        DATABASE_URL: `${env.DATABASE_URL}?options=${encodeURIComponent('-c work_mem=8MB')}`,
      }),
      log,
      'own-options',
      { asynchronousCommit: true },
    );
    try {
      const setting = async (pool: typeof strict, name: string) =>
        (await pool.query(`SELECT current_setting('${name}') AS value`)).rows[0].value;
      expect(await setting(strict, 'synchronous_commit')).toBe('on');
      expect(await setting(relaxed, 'synchronous_commit')).toBe('off');
      expect(await setting(withOwnOptions, 'synchronous_commit')).toBe('off');
      expect(await setting(withOwnOptions, 'work_mem')).toBe('8MB');
    } finally {
      await Promise.all([strict.end(), relaxed.end(), withOwnOptions.end()]);
    }
  });
});
