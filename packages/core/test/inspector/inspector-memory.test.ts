// The Inspector behaviour suite over the memory broker, the reference implementation.
import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { describeInspectorBehaviour } from "@asynq-ts/testing/conformance";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

describeInspectorBehaviour({
  name: "memory",
  createBroker: async () => createMemoryBroker(),
  test: { describe, it, beforeEach, afterEach, expect },
});
