import { defineConfig } from "vitest/config";

// One vitest process runs every package's tests; the summary reporter prints the
// closing "N passed, N failed, N skipped" line that CI reads.
export default defineConfig({
  resolve: { conditions: ["@asynq-ts/source"] },
  ssr: { resolve: { conditions: ["@asynq-ts/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
