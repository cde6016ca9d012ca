// Application-test kit of asynq-ts. The conformance suite is exported at "@asynq-ts/testing/conformance",
// real Redis servers for tests at "@asynq-ts/testing/servers".
export { FakeClock } from "./fake-clock.js";
export { aborted, type Gate, gate } from "./handler-gates.js";
export type { LogEntry } from "./recording-logger.js";
export { recordingLogger } from "./recording-logger.js";
export type { AttemptRecord, RunUntilIdleOptions } from "./run-until-idle.js";
export { runUntilIdle } from "./run-until-idle.js";
export { taskMessage } from "./task-message.js";
export type { EnqueuedFilter, EnqueuedTask, TestKit, TestKitOptions } from "./test-kit.js";
export { createTestKit } from "./test-kit.js";
