/**
 * Last-resort cleanup of everything the server helpers started: when the test process exits or
 * is interrupted, every still-registered cleanup runs (synchronously, as 'exit' handlers must),
 * so a test that forgets `stop()` leaks no redis-server and no temp directory. Cleanups run
 * newest first, so processes die before the directories registered before them are removed.
 */
const cleanups = new Set<() => void>();
const FORWARDED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let installed = false;

/** Registers a synchronous cleanup; returns the function that unregisters it. */
export function registerCleanup(cleanup: () => void): () => void {
  installHandlers();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

function runAllCleanups(): void {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // best effort: one failing cleanup must not keep the others from running
    }
  }
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.once("exit", runAllCleanups);
  for (const signal of FORWARDED_SIGNALS) {
    const onSignal = (): void => {
      runAllCleanups();
      process.removeListener(signal, onSignal);
      // Listening to a signal disables its default action; restore it when nobody else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
