// Waiting for asynchronous work in tests: bounded polling, never a timing assertion.

/**
 * Polls `condition` until it holds, `step` between checks (a real pause, or a fake clock's
 * tick); fails after `attempts` checks.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  options: { readonly attempts?: number; readonly step?: () => Promise<void> } = {},
): Promise<void> {
  const attempts = options.attempts ?? 2_000;
  const step = options.step ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 10)));
  for (let i = 0; i < attempts; i++) {
    if (await condition()) return;
    await step();
  }
  throw new Error(`${what} did not happen after ${attempts} checks`);
}
