// Public API of @asynq-ts/backend-memory: the in-memory reference broker.

export {
  createMemoryBroker,
  MEMORY_BROKER_CAPABILITIES,
  MemoryBroker,
  type MemoryBrokerOptions,
} from "./memory-broker.js";
