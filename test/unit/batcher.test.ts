import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/db/batcher.js';

describe('Batcher', () => {
  it('runs the calls of one turn together and answers each in order', async () => {
    const calls: number[][] = [];
    const batcher = new Batcher(async (inputs: number[]) => {
      calls.push(inputs);
      return inputs.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(calls).toEqual([[1, 2, 3]]);
    expect(await batcher.add(4)).toBe(40);
    expect(calls).toHaveLength(2);
  });

  it('splits large turns', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher(async (inputs: number[]) => {
      sizes.push(inputs.length);
      return inputs;
    }, 5);
    await Promise.all(Array.from({ length: 12 }, (_, i) => batcher.add(i)));
    expect(sizes).toEqual([5, 5, 2]);
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    const batcher = new Batcher(async (inputs: number[]) => {
      if (inputs.includes(7)) throw new Error('seven is refused');
      return inputs.map((n) => n + 1);
    });
    const settled = await Promise.allSettled([5, 6, 7, 8].map((n) => batcher.add(n)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      6,
      7,
      'seven is refused',
      9,
    ]);
  });
});
