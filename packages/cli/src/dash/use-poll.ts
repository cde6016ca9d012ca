import { useEffect, useRef, useState } from "react";

/** The latest result of a polled load. */
export interface Polled<T> {
  /** Data of the current key; undefined until its first load finishes. */
  readonly data: T | undefined;
  /** The last load's failure, cleared by the next success. */
  readonly error: string | undefined;
  readonly updatedAt: Date | undefined;
}

/**
 * Loads at once whenever `key` or `tick` changes, then every `intervalMs`. Results of a load
 * started for an older key are dropped, so a slow answer never shows on the wrong screen.
 */
export function usePoll<T>(
  load: () => Promise<T>,
  key: string,
  intervalMs: number,
  tick: number,
): Polled<T> {
  const [state, setState] = useState<{ key: string } & Polled<T>>({
    key,
    data: undefined,
    error: undefined,
    updatedAt: undefined,
  });
  const loadRef = useRef(load);
  loadRef.current = load;

  // `tick` is a dependency on purpose: changing it forces a reload.
  useEffect(() => {
    let live = true;
    let loading = false;
    const once = async () => {
      // A slow Redis must not pile up reads: skip a tick while the last one is out.
      if (loading) return;
      loading = true;
      try {
        const data = await loadRef.current();
        if (live) setState({ key, data, error: undefined, updatedAt: new Date() });
      } catch (error) {
        const message = describeFailure(error);
        if (live)
          setState((s) => ({
            ...(s.key === key ? s : { data: undefined, updatedAt: undefined }),
            key,
            error: message,
          }));
      } finally {
        loading = false;
      }
    };
    void once();
    const timer = setInterval(() => void once(), intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [key, intervalMs, tick]);

  return state.key === key ? state : { data: undefined, error: undefined, updatedAt: undefined };
}

// ioredis's wording while it reconnects, which means one thing to a person watching.
const CONNECTION_LOST =
  /max retries per request|Connection is closed|ECONNREFUSED|ECONNRESET|Stream isn't writeable/;

/** A load failure as the status line shows it. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return CONNECTION_LOST.test(message)
    ? "lost the connection to Redis; reconnecting…"
    : (message.split("\n", 1)[0] ?? message);
}
