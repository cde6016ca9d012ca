// The Inspector's behaviour over any broker, as a reusable suite: the memory broker runs it in
// inspector.test.ts, and an adapter package can run it over its own broker. It uses only the
// Client, the Inspector, the broker's port edges and a FakeClock at whole seconds.
import { describeInspectorBulkMutations } from "./bulk.js";
import type { InspectorBehaviourOptions } from "./harness.js";
import { describeInspectorLifecycle } from "./lifecycle.js";
import { describeInspectorLists } from "./lists.js";
import { describeInspectorLiveness } from "./liveness.js";
import { describeInspectorMutations } from "./mutations.js";
import { describeInspectorQueueAdmin } from "./queue-admin.js";
import { describeInspectorReads } from "./reads.js";
import { describeInspectorSearch } from "./search.js";

export type { InspectorBehaviourOptions } from "./harness.js";

/**
 * Every Inspector behaviour, in one `describe` named after the broker. `createBroker` must
 * return an isolated, empty broker each time; `test` is the test framework's API.
 */
export function describeInspectorBehaviour(options: InspectorBehaviourOptions): void {
  options.test.describe(`Inspector on ${options.name}`, () => {
    describeInspectorReads(options);
    describeInspectorLists(options);
    describeInspectorSearch(options);
    describeInspectorMutations(options);
    describeInspectorBulkMutations(options);
    describeInspectorQueueAdmin(options);
    describeInspectorLiveness(options);
    describeInspectorLifecycle(options);
  });
}
