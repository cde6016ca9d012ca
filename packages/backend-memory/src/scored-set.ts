/** One member of a `ScoredSet`; `seq` orders members with equal scores by insertion. */
export interface ScoredEntry {
  readonly id: string;
  readonly score: number;
  readonly seq: number;
}

// Shared by every set so an entry moved between sets keeps its place among equal scores.
let nextSeq = 0;

function before(a: ScoredEntry, b: ScoredEntry): boolean {
  return a.score < b.score || (a.score === b.score && a.seq < b.seq);
}

/**
 * Task IDs ordered by score, ties broken by insertion order: the memory form of asynq's
 * scheduled/retry/archived/completed sorted sets, group sets and aggregation sets.
 */
export class ScoredSet {
  // Sorted ascending by (score, seq); binary search keeps inserts and deletes cheap.
  readonly #entries: ScoredEntry[] = [];
  readonly #byId = new Map<string, ScoredEntry>();

  get size(): number {
    return this.#entries.length;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** The member's score, if present. */
  score(id: string): number | undefined {
    return this.#byId.get(id)?.score;
  }

  /** The lowest-scored member. */
  first(): ScoredEntry | undefined {
    return this.#entries[0];
  }

  /** The highest-scored member. */
  last(): ScoredEntry | undefined {
    return this.#entries[this.#entries.length - 1];
  }

  /** Adds (or re-scores) a member; it goes after existing members with the same score. */
  add(id: string, score: number): void {
    nextSeq += 1;
    this.insert({ id, score, seq: nextSeq });
  }

  /** Adds an entry keeping its original sequence, e.g. when moved back from another set. */
  insert(entry: ScoredEntry): void {
    this.delete(entry.id);
    this.#entries.splice(this.#indexOf(entry), 0, entry);
    this.#byId.set(entry.id, entry);
  }

  /** Removes a member; returns its entry if it was present. */
  delete(id: string): ScoredEntry | undefined {
    const entry = this.#byId.get(id);
    if (entry === undefined) return undefined;
    this.#entries.splice(this.#indexOf(entry), 1);
    this.#byId.delete(id);
    return entry;
  }

  /** Removes and returns the `count` lowest-scored members. */
  takeFirst(count: number): ScoredEntry[] {
    const taken = this.#entries.splice(0, Math.max(0, count));
    for (const entry of taken) this.#byId.delete(entry.id);
    return taken;
  }

  /** Removes and returns up to `limit` members scored at or below `maxScore`, lowest first. */
  takeUpTo(maxScore: number, limit = Number.POSITIVE_INFINITY): ScoredEntry[] {
    let count = 0;
    while (
      count < limit &&
      count < this.#entries.length &&
      (this.#entries[count]?.score ?? Number.POSITIVE_INFINITY) <= maxScore
    ) {
      count += 1;
    }
    return this.takeFirst(count);
  }

  /** A snapshot of the members, lowest score first. */
  entries(): ScoredEntry[] {
    return this.#entries.slice();
  }

  // Position of `entry` if present, else where it belongs (first index not before it).
  #indexOf(entry: ScoredEntry): number {
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const probe = this.#entries[mid];
      if (probe !== undefined && before(probe, entry)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
