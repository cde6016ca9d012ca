import { join } from "node:path";
import type { ChildEntry } from "./child-runner.js";

/** The child entry run through tsx: slower to start, but profiles point at the sources. */
export function sourceChildEntry(benchDir: string): ChildEntry {
  return {
    script: join(benchDir, "src", "child.ts"),
    execArgv: ["--import", "tsx", "--conditions=@asynq-ts/source"],
  };
}

/**
 * Bundles the child entry (workspace packages from source, the systems as lazily loaded chunks)
 * into ES modules run by plain `node`, so children carry no TypeScript loader in their CPU and
 * RSS. Falls back to tsx when esbuild (installed with tsx) cannot be loaded.
 */
export async function childEntry(
  benchDir: string,
  log: (line: string) => void,
  asynqSource?: string,
): Promise<ChildEntry> {
  try {
    const esbuild = await import("esbuild");
    const repoDir = join(benchDir, "..");
    // Under node_modules: ignored by git and Biome, and bare imports resolve from there.
    const outdir = join(repoDir, "node_modules", ".cache", "asynq-ts-bench");
    // Another tree's asynq-ts packages (e.g. `git archive` of an older commit), to compare.
    const alias =
      asynqSource === undefined
        ? {}
        : {
            "@asynq-ts/core": join(asynqSource, "packages", "core", "src", "index.ts"),
            "@asynq-ts/backend-redis": join(
              asynqSource,
              "packages",
              "backend-redis",
              "src",
              "index.ts",
            ),
          };
    await esbuild.build({
      entryPoints: [join(benchDir, "src", "child.ts")],
      outdir,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      splitting: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["@asynq-ts/source"],
      external: ["bullmq", "bee-queue", "ioredis", "redis"],
      alias,
      nodePaths: [join(repoDir, "node_modules")],
      logLevel: "warning",
    });
    return { script: join(outdir, "child.mjs"), execArgv: [] };
  } catch (error) {
    log(`esbuild unavailable (${String(error)}); children run through tsx`);
    return sourceChildEntry(benchDir);
  }
}
