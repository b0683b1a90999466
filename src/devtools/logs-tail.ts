import type { paths } from '../client/index.js';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  type Connection,
  connectionOf,
  describeFailure,
  parseCommandArgs,
  sleep,
  UsageError,
  wallClock,
} from './client-options.js';
import type { CommandIo } from './io.js';

export const LOGS_USAGE = `Usage: gateway logs tail [--status <code|4xx>] [--method <method>] [--path <prefix>]

Prints each API request of the merchant as it is recorded in the request log (newest last), until
interrupted.

  --status <code|4xx>  only this status or class of statuses
  --method <method>    only this HTTP method
  --path <prefix>      only paths starting with this, e.g. /api/v1/payments
  --interval <ms>      how often to look (default 1000)
${CONNECTION_USAGE}`;

type Entry =
  paths['/api/v1/request_logs']['get']['responses'][200]['content']['application/json']['data'][number];

/** The API refused the request: a bad filter or bad credentials, which waiting will not mend. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `gateway logs tail`: polls the request log and prints new entries, oldest first. */
export async function logsCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...CONNECTION_OPTIONS,
    status: { type: 'string' },
    method: { type: 'string' },
    path: { type: 'string' },
    interval: { type: 'string' },
  });
  if (positionals[0] !== 'tail' || positionals.length > 1)
    throw new UsageError('the only logs command is `tail`');
  const interval = Number(values.interval ?? 1000);
  if (!Number.isInteger(interval) || interval < 50) throw new UsageError('--interval must be at least 50 ms');
  const connection = connectionOf(values, io.env);
  const filters = { status: values.status, method: values.method, path: values.path };

  const latest = async () => (await page(connection, { ...filters, limit: 1 })).data[0]?.id;
  let newest: string | undefined;
  try {
    newest = await latest();
  } catch (err) {
    if (err instanceof Refused) throw new UsageError(err.message);
    throw err;
  }
  io.err(`Tailing the request log of ${connection.apiUrl} (^C to stop)`);
  while (!io.signal.aborted) {
    try {
      // Newer than the newest seen, a page at a time; each page comes newest first.
      for (;;) {
        const next = await page(connection, { ...filters, limit: 100, ending_before: newest });
        for (const entry of [...next.data].reverse()) io.out(line(entry));
        if (next.data[0]) newest = next.data[0].id;
        if (!next.has_more) break;
      }
    } catch (err) {
      if (err instanceof Refused && err.status === 401) throw err;
      // The entry we were after is gone (retention): carry on from the newest there is.
      if (err instanceof Refused) newest = await latest().catch(() => newest);
      else io.err(`Cannot read the request log (${(err as Error).message}); retrying`);
    }
    await sleep(interval, io.signal);
  }
  return 0;
}

async function page(
  connection: Connection,
  query: { status?: string; method?: string; path?: string; limit: number; ending_before?: string },
): Promise<{ data: Entry[]; has_more: boolean }> {
  const { data, error, response } = await connection.client.GET('/api/v1/request_logs', {
    params: { query },
  });
  if (data) return data;
  const failure = describeFailure(response.status, error);
  if (response.status === 400 || response.status === 401) throw new Refused(response.status, failure);
  throw new Error(failure);
}

function line(entry: Entry): string {
  const key = entry.idempotency_key ? `  idempotency-key=${entry.idempotency_key}` : '';
  return `${wallClock(new Date(entry.created_at))}  [${entry.status}] ${entry.method} ${entry.path}  ${entry.duration_ms} ms  ${entry.id}${key}`;
}
