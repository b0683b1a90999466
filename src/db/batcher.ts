/**
 * Coalesces the calls made in one event-loop turn into a single call of `run` (like DataLoader).
 * A worker runs many jobs at once; batching their statements turns N round trips and N commits into
 * one, which is what lets one worker keep up with thousands of jobs a second.
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
          for (const entry of batch) entry.reject(err);
        },
      );
    }
  }
}
