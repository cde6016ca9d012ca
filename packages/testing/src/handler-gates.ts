/** A promise with its resolve function, to hold a handler until the test lets it go. */
export interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

/** A closed gate: a handler awaiting `promise` runs on once the test calls `open()`. */
export function gate(): Gate {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Resolves with the reason once `signal` aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener("abort", () => resolve(signal.reason), { once: true });
  });
}
