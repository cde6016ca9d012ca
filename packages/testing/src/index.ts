// Application-test kit of asynq-ts. The conformance suite is exported at "@asynq-ts/testing/conformance".
export { FakeClock } from "./fake-clock.js";
