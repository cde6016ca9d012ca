/** One item waiting for its write. */
interface Waiting<T> {
  readonly item: T;
  readonly resolve: (code: number) => void;
  readonly reject: (error: unknown) => void;
}

/** How a group commit writes. */
export interface GroupCommitOptions<T> {
  /** Writes items that share a group key in one call; answers one code per item, in order. */
  readonly write: (items: readonly T[]) => Promise<readonly number[]>;
  /** Items with equal keys that follow each other share calls; `undefined` writes the item alone. */
  readonly groupOf: (item: T) => string | undefined;
  /** Items per call at most. */
  readonly maxBatch: number;
}

/**
 * Group commit: items submitted in one turn of the event loop (one run of callbacks and the
 * promise reactions they trigger) are written together, and those submitted while a write is
 * in flight wait for it and are then written together. Calls are issued in submission order
 * (consecutive items of one group share a call), so a connection applies them in that order.
 * Under load, enqueues and acknowledgements thus cost one round trip per batch instead of one
 * per task; alone, an item waits only for the end of the current turn.
 */
export class GroupCommit<T> {
  readonly #options: GroupCommitOptions<T>;
  #waiting: Waiting<T>[] = [];
  /** A drain is scheduled or running. */
  #writing = false;

  constructor(options: GroupCommitOptions<T>) {
    this.#options = options;
  }

  /** Writes `item` (with others submitted meanwhile); resolves with its code. */
  submit(item: T): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#writing) {
        this.#writing = true;
        process.nextTick(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting;
        this.#waiting = [];
        await Promise.all(this.#runs(batch).map((run) => this.#writeRun(run)));
      }
    } finally {
      this.#writing = false;
    }
  }

  /** Consecutive items of one group, cut at `maxBatch`; ungrouped items alone. */
  #runs(batch: readonly Waiting<T>[]): Waiting<T>[][] {
    const { groupOf, maxBatch } = this.#options;
    const runs: Waiting<T>[][] = [];
    let run: Waiting<T>[] = [];
    let runKey: string | undefined;
    for (const waiting of batch) {
      const key = groupOf(waiting.item);
      if (run.length > 0 && (key === undefined || key !== runKey || run.length >= maxBatch)) {
        runs.push(run);
        run = [];
      }
      run.push(waiting);
      runKey = key;
    }
    if (run.length > 0) runs.push(run);
    return runs;
  }

  /** Issues the run's call at once (so calls leave in order), then settles its items. */
  async #writeRun(run: readonly Waiting<T>[]): Promise<void> {
    let codes: readonly number[];
    try {
      codes = await this.#options.write(run.map((w) => w.item));
    } catch (error) {
      for (const waiting of run) waiting.reject(error);
      return;
    }
    run.forEach((waiting, index) => {
      const code = codes[index];
      if (code === undefined) waiting.reject(new Error("batch reply too short"));
      else waiting.resolve(code);
    });
  }
}
