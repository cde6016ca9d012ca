import type { Redis } from "ioredis";

const QUIT_TIMEOUT_MS = 1_000;

/**
 * Closes an ioredis client the broker owns: QUIT, or a hard disconnect when QUIT fails or
 * hangs (it waits for a connection that a dead master may never give).
 */
export async function closeIoredis(client: Redis): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, QUIT_TIMEOUT_MS);
  });
  try {
    await Promise.race([client.quit(), timedOut]);
  } catch {
    // disconnect below
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
