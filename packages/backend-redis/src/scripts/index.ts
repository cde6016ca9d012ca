// Every Lua script of the broker: one per edge of the state machine (plus liveness writes).
import { aggregationCheckScript } from "./aggregation-check.js";
import { archiveScript } from "./archive.js";
import { archiveAllScript } from "./archive-all.js";
import { archiveTaskScript } from "./archive-task.js";
import { deleteAggregationSetScript } from "./delete-aggregation-set.js";
import { deleteAllScript } from "./delete-all.js";
import { deleteExpiredCompletedScript } from "./delete-expired-completed.js";
import { deleteQueueScript } from "./delete-queue.js";
import { deleteTaskScript } from "./delete-task.js";
import { dequeueScript } from "./dequeue.js";
import { doneScript } from "./done.js";
import { enqueueAggregatingScript } from "./enqueue-aggregating.js";
import { enqueuePendingScript } from "./enqueue-pending.js";
import { enqueueScheduledScript } from "./enqueue-scheduled.js";
import { extendLeaseScript } from "./extend-lease.js";
import { forwardDueScript } from "./forward-due.js";
import type { LuaScript } from "./lua-script.js";
import { markCompleteScript } from "./mark-complete.js";
import { reclaimStaleAggregationSetScript } from "./reclaim-stale-aggregation-set.js";
import { recordSchedulerEventScript } from "./record-scheduler-event.js";
import { requeueScript } from "./requeue.js";
import { retryScript } from "./retry.js";
import { runAllScript } from "./run-all.js";
import { runTaskScript } from "./run-task.js";
import { trimArchiveScript } from "./trim-archive.js";
import { updateTaskPayloadScript } from "./update-task-payload.js";
import { writeResultScript } from "./write-result.js";
import { writeSchedulerEntriesScript } from "./write-scheduler-entries.js";
import { writeServerStateScript } from "./write-server-state.js";

export type { LuaScript } from "./lua-script.js";

/** All scripts, for tests that check every one (cross-slot safety, declared keys). */
export const ALL_SCRIPTS: readonly LuaScript[] = [
  enqueuePendingScript,
  enqueueScheduledScript,
  enqueueAggregatingScript,
  dequeueScript,
  extendLeaseScript,
  doneScript,
  markCompleteScript,
  requeueScript,
  retryScript,
  archiveScript,
  trimArchiveScript,
  writeResultScript,
  forwardDueScript,
  deleteExpiredCompletedScript,
  aggregationCheckScript,
  deleteAggregationSetScript,
  reclaimStaleAggregationSetScript,
  runTaskScript,
  archiveTaskScript,
  deleteTaskScript,
  runAllScript,
  archiveAllScript,
  deleteAllScript,
  updateTaskPayloadScript,
  deleteQueueScript,
  writeServerStateScript,
  writeSchedulerEntriesScript,
  recordSchedulerEventScript,
];
