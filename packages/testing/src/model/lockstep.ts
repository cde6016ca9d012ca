import type { Broker } from "@asynq-ts/core";
import { applyOperation, type Lane, type World } from "./apply.js";
import { differences } from "./normalize.js";
import {
  DEFAULT_UNIVERSE,
  describeOperation,
  type Operation,
  type Universe,
} from "./operations.js";
import { candidatesOf, NO_CANDIDATES, namedGroup, resolveOperation } from "./resolve.js";
import { type Observation, observe } from "./snapshot.js";

/** A broker taking part in a differential run; the first one is the reference. */
export interface NamedBroker {
  readonly name: string;
  readonly broker: Broker;
}

/** Options of {@link runLockstep}. */
export interface LockstepOptions {
  readonly universe?: Universe;
  /** The shared clock's first reading (whole seconds). @default 2030-01-01T00:00:00Z */
  readonly start?: number;
}

/** Two brokers answered or looked differently after the same step. */
export class DivergenceError extends Error {
  /** Zero-based index of the step after which they differed. */
  readonly step: number;
  constructor(step: number, message: string) {
    super(message);
    this.name = "DivergenceError";
    this.step = step;
  }
}

/** Figures of one run. */
export interface LockstepReport {
  /** Steps applied (picking steps with nothing to pick are skipped). */
  readonly steps: number;
  /** How often each operation got each kind of answer, e.g. `"done ok"` or `"retry not-active"`. */
  readonly answers: ReadonlyMap<string, number>;
}

/**
 * Applies `operations` to every broker in lockstep with one shared fake `now`, and after each
 * step requires every broker's answer and observable state (see `observe`) to equal the
 * first broker's. Throws `DivergenceError` naming the step, the operations so far and the first
 * differences. The brokers must start empty.
 */
export async function runLockstep(
  operations: readonly Operation[],
  brokers: readonly NamedBroker[],
  options: LockstepOptions = {},
): Promise<LockstepReport> {
  const universe = options.universe ?? DEFAULT_UNIVERSE;
  const world: World = {
    now: options.start ?? Date.UTC(2030, 0, 1),
    queues: universe.queues,
    nextSetId: 1,
    sets: [],
  };
  const lanes: Lane[] = brokers.map(({ name, broker }) => ({ name, broker, known: new Map() }));
  const [reference, ...others] = lanes;
  if (reference === undefined || others.length === 0) {
    throw new RangeError("a lockstep run needs at least two brokers");
  }

  let candidates = NO_CANDIDATES;
  const log: string[] = [];
  let applied = 0;
  const tally = new Map<string, number>();
  for (const [step, given] of operations.entries()) {
    if (given.op === "advance" || given.op === "maintain") world.now += given.seconds * 1_000;
    const operation = resolveOperation(given, candidates);
    log.push(`${step}: ${describeOperation(given)}${resolution(given, operation)}`);
    if (operation === undefined) continue;
    applied += 1;
    const setId = `set-${world.nextSetId}`;
    const answers = [];
    for (const lane of lanes) {
      answers.push(await settle(applyOperation(lane, operation, world, setId)));
    }
    compare(step, log, "answer", lanes, answers);
    const kind = `${operation.op} ${answerKind(answers[0])}`;
    tally.set(kind, (tally.get(kind) ?? 0) + 1);
    if (operation.op === "aggregationCheck") {
      world.nextSetId += 1;
      if (answers[0] === true) world.sets.push({ ...namedGroup(operation.group), setId });
    }
    const views = await Promise.all(lanes.map((lane) => observe(lane.broker, universe, world.now)));
    compare(step, log, "state", lanes, views);
    candidates = candidatesOf(views[0] as Observation);
  }
  return { steps: applied, answers: tally };
}

/** A short class of an answer: ok, a refusal reason, a count, empty or not. */
export function answerKind(answer: unknown): string {
  if (answer === null || answer === undefined) return "none";
  if (typeof answer === "number") return answer > 0 ? "some" : "zero";
  if (typeof answer !== "object") return String(answer);
  if (Array.isArray(answer)) return answer.length === 0 ? "none" : answer.map(answerKind).join("+");
  if ("outcome" in answer) return answerKind(answer.outcome);
  if ("perQueue" in answer && "recovered" in answer && Array.isArray(answer.perQueue)) {
    const counts = answer.perQueue.flatMap((q: Record<string, number>) => Object.values(q));
    const busy = counts.some((n) => n > 0) || (answer.recovered as unknown[]).length > 0;
    return busy ? "some" : "zero";
  }
  if ("ok" in answer) {
    if (!answer.ok) return "reason" in answer ? String(answer.reason) : "refused";
    return "count" in answer && typeof answer.count === "number"
      ? `ok ${answer.count > 0 ? "some" : "zero"}`
      : "ok";
  }
  if ("thrown" in answer) return `thrown ${String(answer.thrown)}`;
  return "value";
}

/** A thrown error becomes a comparable answer, so a broker that throws diverges visibly. */
async function settle(answer: Promise<unknown>): Promise<unknown> {
  try {
    return await answer;
  } catch (error) {
    const code =
      typeof error === "object" && error !== null ? Reflect.get(error, "code") : undefined;
    return { thrown: String(code ?? error), message: error instanceof Error ? error.message : "" };
  }
}

/** How a picking operation was resolved, for the failure report. */
function resolution(given: Operation, resolved: Operation | undefined): string {
  if (resolved === undefined) return "  (skipped: nothing to pick)";
  if ("target" in given && "target" in resolved && "pick" in given.target) {
    return `  → ${JSON.stringify(resolved.target)}`;
  }
  if (
    given.op === "aggregationCheck" &&
    resolved.op === "aggregationCheck" &&
    "pick" in given.group
  ) {
    return `  → ${JSON.stringify(resolved.group)}`;
  }
  return "";
}

function compare(
  step: number,
  log: readonly string[],
  what: string,
  lanes: readonly Lane[],
  values: readonly unknown[],
): void {
  const reference = values[0];
  for (let i = 1; i < lanes.length; i++) {
    const diff = differences(reference, values[i]);
    if (diff.length === 0) continue;
    throw new DivergenceError(
      step,
      `${lanes[i]?.name} ${what} differs from ${lanes[0]?.name} after step ${step}:\n` +
        `${diff.map((line) => `    ${line}`).join("\n")}\n(left: ${lanes[0]?.name}, right: ${lanes[i]?.name})\n` +
        `operations:\n${log.map((line) => `    ${line}`).join("\n")}`,
    );
  }
}
