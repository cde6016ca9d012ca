import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { runLockstep, sequenceArbitrary } from "@asynq-ts/testing/model";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TARGETS, useRedisTargets } from "./support/redis-targets.js";

// Model-based differential test: random sequences of port operations run on the memory broker
// (the reference) and on Redis in lockstep, with one fake clock; every answer and the whole
// observable state must agree after every step. `npm test` runs a bounded, seeded sample;
// SOAK=1 runs the long version (SOAK_SEQUENCES, SOAK_STEPS, SOAK_SEED override it). A failure
// prints the shrunk sequence: add it to differential-regressions.integration.test.ts.

const SOAK = process.env.SOAK === "1";
const SEQUENCES = SOAK ? Number(process.env.SOAK_SEQUENCES ?? 1_000) : 100;
const STEPS = SOAK ? Number(process.env.SOAK_STEPS ?? 60) : 40;
const SEED = Number(process.env.SOAK_SEED ?? (SOAK ? Date.now() % 2 ** 31 : 20_261_125));

const redisBroker = useRedisTargets();

describe.each(TARGETS)("memory and Redis %s agree step by step", (target) => {
  it(
    `${SEQUENCES} random sequences of up to ${STEPS} steps (seed ${SEED})`,
    async () => {
      let sequences = 0;
      let steps = 0;
      const answers = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(sequenceArbitrary(STEPS), async (operations) => {
          const memory = createMemoryBroker();
          const redis = redisBroker(target);
          try {
            const report = await runLockstep(operations, [
              { name: "memory", broker: memory },
              { name: `redis ${target}`, broker: redis },
            ]);
            sequences += 1;
            steps += report.steps;
            for (const [kind, n] of report.answers) answers.set(kind, (answers.get(kind) ?? 0) + n);
          } finally {
            await Promise.allSettled([memory.close(), redis.close()]);
          }
        }),
        { numRuns: SEQUENCES, seed: SEED },
      );
      const kinds = [...answers].sort(([a], [b]) => (a < b ? -1 : 1));
      console.log(
        `differential ${target}: ${sequences} sequences, ${steps} steps checked\n` +
          `answers: ${kinds.map(([kind, n]) => `${kind} ×${n}`).join(", ")}`,
      );
      expect(sequences).toBe(SEQUENCES);
    },
    SOAK ? 4 * 3_600_000 : 120_000,
  );
});
