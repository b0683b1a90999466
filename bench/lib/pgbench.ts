import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * PostgreSQL's own rate for one single-row insert transaction at the same concurrency: the floor
 * under any durable create, measured in the same run as the API so the two can be compared as a ratio.
 */
export async function singleInsertTps(
  databaseUrl: string,
  clients: number,
  seconds: number,
): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(`CREATE TABLE IF NOT EXISTS bench_floor (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  await db.end();
  const script = join(tmpdir(), `gw-pgbench-${process.pid}.sql`);
  await writeFile(script, "INSERT INTO bench_floor (payload) VALUES ('pay_0000000000000000');\n");
  const url = new URL(databaseUrl);
  const { stdout } = await run('pgbench', [
    '-h',
    url.hostname,
    '-p',
    url.port || '5432',
    '-U',
    decodeURIComponent(url.username || 'postgres'),
    '-n',
    '-c',
    String(clients),
    '-j',
    '2',
    '-T',
    String(seconds),
    '-f',
    script,
    url.pathname.slice(1),
  ]);
  const match = /tps = ([\d.]+)/.exec(stdout);
  if (!match?.[1]) throw new Error(`could not read pgbench output:\n${stdout}`);
  return Number(match[1]);
}
