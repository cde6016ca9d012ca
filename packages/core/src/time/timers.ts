/**
 * Opaque handle of a scheduled callback; only ever passed back to the `Timers` that made it.
 */
export type TimerHandle = unknown;

/**
 * Schedules callbacks. Injected next to the `Clock` so a fake clock can also drive every timed
 * behaviour of a server (polls, heartbeats, timeouts) without real waiting.
 */
export interface Timers {
  /** Calls `callback` once, `ms` from now (at once for 0 or less). */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a callback that has not run yet; unknown or spent handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

// Node and browsers fire delays above 2^31-1 ms at once; longer waits are chained.
const MAX_NATIVE_DELAY = 2_147_483_647;

interface SystemHandle {
  native: ReturnType<typeof globalThis.setTimeout> | undefined;
}

function isSystemHandle(handle: TimerHandle): handle is SystemHandle {
  return typeof handle === "object" && handle !== null && "native" in handle;
}

/** The runtime's timers, with delays of any length. */
export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const handle: SystemHandle = { native: undefined };
    const arm = (remaining: number) => {
      const step = Math.min(Math.max(0, remaining), MAX_NATIVE_DELAY);
      handle.native = globalThis.setTimeout(() => {
        if (remaining > MAX_NATIVE_DELAY) arm(remaining - MAX_NATIVE_DELAY);
        else callback();
      }, step);
    };
    arm(Number.isFinite(ms) ? ms : MAX_NATIVE_DELAY);
    return handle;
  },
  clearTimeout(handle) {
    if (isSystemHandle(handle) && handle.native !== undefined) {
      globalThis.clearTimeout(handle.native);
      handle.native = undefined;
    }
  },
};

/** True when `value` looks like a `Timers` (e.g. a fake clock that also schedules). */
export function isTimers(value: unknown): value is Timers {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Timers>).setTimeout === "function" &&
    typeof (value as Partial<Timers>).clearTimeout === "function"
  );
}

/**
 * Resolves after `ms`, or as soon as `signal` aborts; never rejects. Resolves `true` when the
 * time elapsed and `false` when it was cut short.
 */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      timers.clearTimeout(handle);
      resolve(false);
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
