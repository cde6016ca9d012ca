import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Creates a fresh private directory for server files (dump, nodes.conf). */
export function makeTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `asynq-ts-${label}-`));
}

/** Removes a directory tree, ignoring one that is already gone. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
