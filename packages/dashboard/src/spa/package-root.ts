import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "@asynq-ts/dashboard";

function nameOf(packageJson: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(packageJson, "utf8"));
    return typeof parsed === "object" && parsed !== null && "name" in parsed
      ? String(parsed.name)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * This package's root: the nearest directory above this module whose package.json is named
 * @asynq-ts/dashboard. Walking up (rather than a fixed "../..") keeps it right from src/ and
 * from dist/ alike.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from);
  for (;;) {
    if (nameOf(join(dir, "package.json")) === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Where the built UI lives by default: `<package root>/dist/ui`. */
export function defaultAssetsDir(): string {
  const root = packageRoot();
  // Without a root the directory simply does not exist and the UI answers 503.
  return join(root ?? process.cwd(), "dist", "ui");
}
