// Model-based differential testing: random port operations applied in lockstep to several
// brokers, comparing every answer and the observable state after each step.

export { applyOperation, type Lane, requestOf, UNIQUE_TTL, type World } from "./apply.js";
export { operationArbitrary, sequenceArbitrary } from "./arbitraries.js";
export {
  anyString,
  type EnqueueInput,
  enqueueInput,
  headersInput,
  instantInput,
  NASTY_NUMBERS,
  NASTY_STRINGS,
  nameInput,
  numberInput,
  ONE_MIB,
  optionsInput,
  payloadInput,
  wrongType,
} from "./fuzz-inputs.js";
export {
  DivergenceError,
  type LockstepOptions,
  type LockstepReport,
  type NamedBroker,
  runLockstep,
} from "./lockstep.js";
export { bytesView, differences, messageView, recordView, statsView } from "./normalize.js";
export {
  type ContainerSpec,
  DEFAULT_UNIVERSE,
  describeOperation,
  type Operation,
  type PlacementSpec,
  type TaskRefSpec,
  type TaskSpec,
  type Universe,
} from "./operations.js";
export { type Observation, observe } from "./snapshot.js";
