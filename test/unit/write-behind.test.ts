import { describe, expect, it } from 'vitest';
import { WriteBehind } from '../../src/db/write-behind.js';

/** A write that records its batches and can be held open, to see what arrives while it runs. */
function recordingWrite(fail: (rows: number[]) => Error | null = () => null) {
  const batches: number[][] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  let release: (() => void) | null = null;
  const write = async (rows: number[]) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    batches.push(rows);
    if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    inFlight -= 1;
    const err = fail(rows);
    if (err) throw err;
  };
  return { write, batches, mostInFlight: () => mostInFlight, release: () => release?.() };
}

describe('write-behind', () => {
  it('writes one batch at a time, each carrying what arrived while the previous one ran', async () => {
    const sink = recordingWrite();
    const lost: number[] = [];
    const writer = new WriteBehind<number>(sink.write, (_err, rows) => lost.push(rows), 3);
    writer.add(1);
    writer.add(2);
    await new Promise((resolve) => setImmediate(resolve));
    for (let row = 3; row <= 7; row++) writer.add(row);
    sink.release();
    await writer.flushed();
    expect(sink.batches).toEqual([
      [1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
    expect(sink.mostInFlight()).toBe(1);
    expect(lost).toEqual([]);
  });

  it('writes a refused batch again row by row, so only the bad row is lost', async () => {
    const sink = recordingWrite((rows) =>
      rows.includes(13) ? new Error('invalid input syntax for type json') : null,
    );
    const lost: string[] = [];
    const writer = new WriteBehind<number>(sink.write, (err) => lost.push(err.message));
    for (const row of [11, 12, 13, 14]) writer.add(row);
    await new Promise((resolve) => setImmediate(resolve));
    sink.release();
    await writer.flushed();
    expect(sink.batches).toEqual([[11, 12, 13, 14], [11], [12], [13], [14]]);
    expect(lost).toEqual(['invalid input syntax for type json']);
  });

  it('drops a batch whole while the database is unavailable, and rows past the waiting limit', async () => {
    const unavailable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const sink = recordingWrite(() => unavailable);
    const lost: number[] = [];
    const writer = new WriteBehind<number>(sink.write, (_err, rows) => lost.push(rows), 500, 2);
    expect([writer.add(1), writer.add(2), writer.add(3)]).toEqual([true, true, false]);
    await new Promise((resolve) => setImmediate(resolve));
    sink.release();
    await writer.flushed();
    expect(sink.batches).toEqual([[1, 2]]);
    expect(lost).toEqual([2]);
  });
});
