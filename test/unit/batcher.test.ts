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

  it('splits large turns and rejects every caller of a failed batch', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher(async (inputs: number[]) => {
      sizes.push(inputs.length);
      if (inputs.includes(7)) throw new Error('boom');
      return inputs;
    }, 5);
    const settled = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => batcher.add(i)));
    expect(sizes).toEqual([5, 5, 2]);
    expect(settled.map((s) => s.status)).toEqual([
      ...Array(5).fill('fulfilled'),
      ...Array(5).fill('rejected'),
      'fulfilled',
      'fulfilled',
    ]);
  });
});
