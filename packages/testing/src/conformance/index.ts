// The broker conformance suite: every adapter (and third-party backends) runs it.
import { describeAggregationGroupsConformance } from "./aggregation-groups.js";
import { describeAttemptOutcomesConformance } from "./attempt-outcomes.js";
import { describeByteOwnershipConformance } from "./byte-ownership.js";
import { describeCompleteRetryArchiveConformance } from "./complete-retry-archive.js";
import { describeDequeueBatchConformance } from "./dequeue-batch.js";
import { describeDequeueLeaseConformance } from "./dequeue-lease.js";
import { describeEnqueueConformance } from "./enqueue.js";
import { describeEnqueueOptionsConformance } from "./enqueue-options.js";
import type { ConformanceOptions } from "./harness.js";
import { describeInspectorMutationsConformance } from "./inspector-mutations.js";
import { describeInspectorBulkMutationsConformance } from "./inspector-mutations-bulk.js";
import { describeInspectorQueueAdminConformance } from "./inspector-queue-admin.js";
import { describeInspectorReadsConformance } from "./inspector-reads.js";
import { describeLifecycleConformance } from "./lifecycle.js";
import { describeLivenessConformance } from "./liveness.js";
import { describeMaintenanceConformance } from "./maintenance.js";
import { describeUniquenessConformance } from "./uniqueness.js";

export { describeAggregationGroupsConformance } from "./aggregation-groups.js";
export { describeAttemptOutcomesConformance } from "./attempt-outcomes.js";
export { describeByteOwnershipConformance } from "./byte-ownership.js";
export { describeCompleteRetryArchiveConformance } from "./complete-retry-archive.js";
export { describeDequeueBatchConformance } from "./dequeue-batch.js";
export { describeDequeueLeaseConformance } from "./dequeue-lease.js";
export { describeEnqueueConformance } from "./enqueue.js";
export { describeEnqueueOptionsConformance } from "./enqueue-options.js";
export type {
  ConformanceOptions,
  EnqueueExtras,
  Expect,
  SuiteContext,
  TestApi,
} from "./harness.js";
export { defaultTrim, enqueueRequest } from "./harness.js";
export { describeInspectorMutationsConformance } from "./inspector-mutations.js";
export { describeInspectorBulkMutationsConformance } from "./inspector-mutations-bulk.js";
export { describeInspectorQueueAdminConformance } from "./inspector-queue-admin.js";
export { describeInspectorReadsConformance } from "./inspector-reads.js";
export { describeLifecycleConformance } from "./lifecycle.js";
export { describeLivenessConformance } from "./liveness.js";
export { describeMaintenanceConformance } from "./maintenance.js";
export { describeUniquenessConformance } from "./uniqueness.js";

/** Every area of the conformance suite, in one `describe` named after the broker. */
export function describeBrokerConformance(options: ConformanceOptions): void {
  options.test.describe(`broker conformance: ${options.name}`, () => {
    describeEnqueueConformance(options);
    describeEnqueueOptionsConformance(options);
    describeDequeueLeaseConformance(options);
    describeDequeueBatchConformance(options);
    describeCompleteRetryArchiveConformance(options);
    describeAttemptOutcomesConformance(options);
    describeUniquenessConformance(options);
    describeMaintenanceConformance(options);
    describeAggregationGroupsConformance(options);
    describeInspectorReadsConformance(options);
    describeInspectorMutationsConformance(options);
    describeInspectorBulkMutationsConformance(options);
    describeInspectorQueueAdminConformance(options);
    describeLivenessConformance(options);
    describeByteOwnershipConformance(options);
    describeLifecycleConformance(options);
  });
}
export type { InspectorBehaviourOptions } from "../inspector-behaviour/index.js";
export { describeInspectorBehaviour } from "../inspector-behaviour/index.js";
export { everyInspectorCall } from "../inspector-behaviour/lifecycle.js";
