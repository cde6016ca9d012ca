// Public API of @asynq-ts/core: the domain, the Broker port, Client and ServeMux.

export * from "./client/client.js";
export * from "./errors.js";
export * from "./handler/handler.js";
export * from "./handler/serve-mux.js";
export * from "./ids.js";
export * from "./options/defaults.js";
export * from "./options/resolve-options.js";
export * from "./options/task-options.js";
export type * from "./port/broker.js";
export type * from "./port/capabilities.js";
export type * from "./port/params.js";
export type * from "./port/records.js";
export type * from "./port/results.js";
export * from "./queues/queue-selection.js";
export * from "./retry/retry-delay.js";
export * from "./state-machine/outcome.js";
export * from "./state-machine/transitions.js";
export * from "./task/task.js";
export * from "./task/task-info.js";
export * from "./task/task-message.js";
export * from "./task/task-state.js";
export * from "./task/to-task-info.js";
export * from "./time/clock.js";
export * from "./time/durations.js";
export * from "./uniqueness/unique-digest.js";
