/**
 * Coalesces the calls made in one event-loop turn into a single call of `run` (like DataLoader).
 * A worker runs many jobs at once, and the API serves many requests at once; batching their
 * statements turns N round trips and N commits into one.
 *
 * A batch that fails is retried item by item, so one bad item (text PostgreSQL refuses, say) fails
 * alone instead of taking its companions with it. That is safe because a failed statement commits
 * nothing.
 */
export class Batcher<Input, Output> {
  private pending: Array<{
    input: Input;
    resolve: (output: Output) => void;
    reject: (err: unknown) => void;
  }> = [];
  private scheduled = false;

  constructor(
    /** Must return one output per input, in the same order. */
    private readonly run: (inputs: Input[]) => Promise<Output[]>,
    private readonly maxBatch = 500,
  ) {}

  add(input: Input): Promise<Output> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.run(batch.map((entry) => entry.input)).then(
        (outputs) => {
          batch.forEach((entry, i) => {
            entry.resolve(outputs[i] as Output);
          });
        },
        (err) => {
          if (batch.length === 1) {
            batch[0]?.reject(err);
            return;
          }
          for (const entry of batch) {
            this.run([entry.input]).then((outputs) => entry.resolve(outputs[0] as Output), entry.reject);
          }
        },
      );
    }
  }
}
