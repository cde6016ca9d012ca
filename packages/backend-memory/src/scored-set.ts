/** One member of a `ScoredSet`. */
export interface ScoredEntry {
  readonly id: string;
  readonly score: number;
}

/**
 * Orders IDs as Redis orders sorted-set members of equal score: by their UTF-8 bytes, which is
 * code point order (JavaScript's `<` compares UTF-16 units and differs beyond U+FFFF).
 */
export function compareIds(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; ) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

function before(a: ScoredEntry, b: ScoredEntry): boolean {
  return a.score < b.score || (a.score === b.score && compareIds(a.id, b.id) < 0);
}

/**
 * Task IDs ordered by score, ties broken by ID as Redis does (so the memory broker picks the
 * same tasks as the Redis broker when scores are equal): the memory form of asynq's
 * scheduled/retry/archived/completed sorted sets, group sets and aggregation sets.
 */
export class ScoredSet {
  // Sorted ascending by (score, id); binary search keeps inserts and deletes cheap.
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

  /** Adds (or re-scores) a member. */
  add(id: string, score: number): void {
    this.insert({ id, score });
  }

  /** Adds an entry, e.g. one moved back from another set with its original score. */
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
