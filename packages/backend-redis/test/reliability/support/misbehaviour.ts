import type { Handler, Timers } from "@asynq-ts/core";
import { type LogEntry, recordingLogger } from "@asynq-ts/testing";
import fc from "fast-check";

// Handlers that do what real handlers sometimes do: throw things that are not Errors, ignore
// their AbortSignal, never settle, or settle long after their deadline — and the bookkeeping
// to check how a server copes.

/**
 * A value to throw, boxed so that fast-check can print it in a report even when the value
 * itself breaks every attempt to inspect it (revoked proxies, throwing traps).
 */
export class Thrown {
  constructor(
    readonly value: unknown,
    readonly label: string,
  ) {}

  [fc.toStringMethod](): string {
    return `Thrown(${this.label})`;
  }
}

/** What a handler does with one task. Delays are fake-clock milliseconds. */
export type Behaviour =
  | { readonly kind: "ok" }
  | { readonly kind: "throw"; readonly thrown: Thrown; readonly sync: boolean }
  /** Ignores its signal and never settles. */
  | { readonly kind: "hang" }
  /** Ignores its signal and rejects (with a non-Error) `afterMs` after it started. */
  | { readonly kind: "lateReject"; readonly afterMs: number; readonly thrown: Thrown }
  /** Ignores its signal and resolves `afterMs` after it started. */
  | { readonly kind: "lateResolve"; readonly afterMs: number }
  /** Works `workMs`, but stops (rejecting with the signal's reason) when its signal aborts. */
  | { readonly kind: "cooperative"; readonly workMs: number };

/** Values handlers throw that are not Errors, hostile ones included. */
export function nastyThrowables(): Thrown[] {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cyclic: Record<string, unknown> = Object.create(null);
  cyclic.self = cyclic;
  const trapping = new Proxy(
    {},
    {
      get() {
        throw new Error("get trap");
      },
      has() {
        throw new Error("has trap");
      },
      getPrototypeOf() {
        throw new Error("getPrototypeOf trap");
      },
      ownKeys() {
        throw new Error("ownKeys trap");
      },
    },
  );
  const values: [string, unknown][] = [
    ["undefined", undefined],
    ["null", null],
    ["empty string", ""],
    ["string", "plain string"],
    ["zero", 0],
    ["NaN", Number.NaN],
    ["bigint", 10n],
    ["symbol", Symbol("thrown")],
    ["function", () => "a function"],
    ["null-prototype object", Object.create(null)],
    ["cyclic null-prototype object", cyclic],
    [
      "object whose toString and toJSON throw",
      {
        toString() {
          throw new Error("toString throws");
        },
        toJSON() {
          throw new Error("toJSON throws");
        },
      },
    ],
    ["error-like object", { message: "error-like", name: "NotAnError" }],
    ["revoked proxy", revoked.proxy],
    ["proxy whose traps throw", trapping],
    ["promise", Promise.resolve("a promise")],
  ];
  return values.map(([label, value]) => new Thrown(value, label));
}

/** Arbitrary thrown values: fast-check's `anything` and the hostile ones above. */
export const throwable: fc.Arbitrary<Thrown> = fc.oneof(
  fc.constantFrom(...nastyThrowables()),
  fc.anything().map((value) => new Thrown(value, fc.stringify(value))),
);

/** Arbitrary behaviours around a task timeout of `timeoutMs`. */
export function behaviourArbitrary(timeoutMs: number): fc.Arbitrary<Behaviour> {
  const around = fc.constantFrom(timeoutMs / 2, timeoutMs + 500, timeoutMs * 3);
  return fc.oneof(
    fc.constant({ kind: "ok" as const }),
    fc.record({ kind: fc.constant("throw" as const), thrown: throwable, sync: fc.boolean() }),
    fc.constant({ kind: "hang" as const }),
    fc.record({ kind: fc.constant("lateReject" as const), afterMs: around, thrown: throwable }),
    fc.record({ kind: fc.constant("lateResolve" as const), afterMs: around }),
    fc.record({ kind: fc.constant("cooperative" as const), workMs: around }),
  );
}

/** A handler that behaves as told per task ID, recording concurrency and settlements. */
export class MisbehavingHandler {
  readonly behaviours = new Map<string, Behaviour>();
  readonly started: string[] = [];
  /** Tasks whose handler resolved before its signal aborted: a success the server must record. */
  readonly succeeded = new Set<string>();
  /** Handlers running at once (started and not settled), and the most seen. */
  running = 0;
  maxRunning = 0;

  constructor(private readonly timers: Timers) {}

  readonly handler: Handler = (_task, ctx) => {
    const behaviour = this.behaviours.get(ctx.taskId) ?? { kind: "ok" };
    this.started.push(ctx.taskId);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const settled = () => {
      this.running -= 1;
    };
    if (behaviour.kind === "throw" && behaviour.sync) {
      settled();
      throw behaviour.thrown.value;
    }
    const work = this.#run(behaviour, ctx.signal);
    work.then(() => {
      if (!ctx.signal.aborted) this.succeeded.add(ctx.taskId);
      settled();
    }, settled);
    return work;
  };

  #run(behaviour: Behaviour, signal: AbortSignal): Promise<void> {
    const after = (ms: number) =>
      new Promise<void>((resolve) => this.timers.setTimeout(resolve, ms));
    switch (behaviour.kind) {
      case "ok":
        return Promise.resolve();
      case "throw":
        return Promise.reject(behaviour.thrown.value);
      case "hang":
        return new Promise<void>(() => {});
      case "lateReject":
        return after(behaviour.afterMs).then(() => Promise.reject(behaviour.thrown.value));
      case "lateResolve":
        return after(behaviour.afterMs);
      case "cooperative":
        return new Promise<void>((resolve, reject) => {
          if (signal.aborted) return reject(signal.reason);
          signal.addEventListener("abort", () => reject(signal.reason), { once: true });
          this.timers.setTimeout(resolve, behaviour.workMs);
        });
    }
  }
}

export { type LogEntry, recordingLogger };
