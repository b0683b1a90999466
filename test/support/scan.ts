import type { Redis } from 'ioredis';
import type { Queryable } from '../../src/db/pool.js';

/** Every row of every table in the public schema, one JSON text per row. */
export async function dumpDatabase(db: Queryable): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
  );
  let text = '';
  for (const { table_name } of tables.rows) {
    const rows = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
    text += `${rows.rows.map((r) => r.row).join('\n')}\n`;
  }
  return text;
}

/** Every key under a prefix with its value, whatever its type. */
export async function dumpRedis(redis: Redis, prefix: string): Promise<{ keys: number; text: string }> {
  const keys = await redis.keys(`${prefix}:*`);
  let text = '';
  for (const key of keys) {
    const type = await redis.type(key);
    let value: unknown = '';
    if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'string') value = await redis.get(key);
    else if (type === 'list') value = await redis.lrange(key, '0', '-1');
    else if (type === 'zset') value = await redis.zrange(key, '0', '-1');
    else if (type === 'set') value = await redis.smembers(key);
    else if (type === 'stream') value = await redis.xrange(key, '-', '+');
    text += `${key} ${JSON.stringify(value)}\n`;
  }
  return { keys: keys.length, text };
}
