import { InvalidArgumentError } from "../errors.js";
import { requireName } from "../options/validate.js";
import type { Random } from "../retry/retry-delay.js";

/** Queue name → priority (a positive integer). */
export type QueuePriorities = Readonly<Record<string, number>>;

/** Produces the order in which a server tries its queues on each dequeue. */
export interface QueueSelector {
  /** Every queue, in the order to try them this time. */
  order(): readonly string[];
}

function validatePriorities(queues: QueuePriorities): [string, number][] {
  const entries = Object.entries(queues);
  if (entries.length === 0)
    throw new InvalidArgumentError("queues", "must name at least one queue");
  for (const [name, priority] of entries) {
    requireName("queues", name);
    if (!Number.isInteger(priority) || priority < 1) {
      throw new InvalidArgumentError(`queues.${name}`, "priority must be a positive integer");
    }
  }
  return entries;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Weighted priority: a queue comes first with probability priority / Σpriorities, and the rest
 * follow in weighted order, so a lower queue is still tried when the chosen one is empty.
 */
export class WeightedQueueSelector implements QueueSelector {
  readonly #entries: readonly (readonly [string, number])[];
  readonly #random: Random;

  constructor(queues: QueuePriorities, random: Random = Math.random) {
    const entries = validatePriorities(queues);
    const divisor = entries.reduce((g, [, p]) => gcd(g, p), 0);
    this.#entries = entries.map(([q, p]) => [q, p / divisor] as const);
    this.#random = random;
  }

  order(): readonly string[] {
    if (this.#entries.length === 1) return [this.#entries[0]![0]];
    const remaining = [...this.#entries];
    const result: string[] = [];
    while (remaining.length > 0) {
      const total = remaining.reduce((sum, [, p]) => sum + p, 0);
      let draw = this.#random() * total;
      let index = 0;
      for (; index < remaining.length - 1; index++) {
        draw -= remaining[index]![1];
        if (draw < 0) break;
      }
      result.push(remaining[index]![0]);
      remaining.splice(index, 1);
    }
    return result;
  }
}

/**
 * Strict priority: always highest first (ties by name, compared by code unit so the order does
 * not depend on the locale); lower queues only when higher are empty.
 */
export class StrictQueueSelector implements QueueSelector {
  readonly #order: readonly string[];

  constructor(queues: QueuePriorities) {
    this.#order = validatePriorities(queues)
      .sort(([qa, pa], [qb, pb]) => pb - pa || (qa < qb ? -1 : qa > qb ? 1 : 0))
      .map(([q]) => q);
  }

  order(): readonly string[] {
    return this.#order;
  }
}

/** The selector a server configuration asks for. */
export function createQueueSelector(
  queues: QueuePriorities,
  strict: boolean,
  random?: Random,
): QueueSelector {
  return strict ? new StrictQueueSelector(queues) : new WeightedQueueSelector(queues, random);
}
