// The memory broker is the reference implementation: it must pass the whole conformance suite.
import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { describeBrokerConformance } from "@asynq-ts/testing/conformance";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

describeBrokerConformance({
  name: "memory",
  createBroker: async () => createMemoryBroker(),
  test: { describe, it, beforeEach, afterEach, expect },
});
