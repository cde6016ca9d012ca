// A producer and a worker on the in-memory broker, printing progress.
// Run with `npm run demo`. Set REDIS_URL to run the same demo against Redis once the Redis broker is wired here.
import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { Client, RevokeTaskError, ServeMux, Server, SkipRetryError, Task } from "@asynq-ts/core";

const TOTAL = 40;
const broker = createMemoryBroker();
const client = new Client(broker);
const started = Date.now();
const elapsed = () => `${String(Date.now() - started).padStart(5)} ms`;
const counts = { succeeded: 0, retried: 0, archived: 0, revoked: 0 };

const mux = new ServeMux();
mux.use((next) => async (task, ctx) => {
  try {
    await next(task, ctx);
  } finally {
    const done = counts.succeeded + counts.archived + counts.revoked;
    if (done % 10 === 0 && done > 0)
      console.log(`${elapsed()}  progress: ${done}/${TOTAL} finished`);
  }
});
mux.handle("email:welcome", async (task, ctx) => {
  const { userId } = task.json<{ userId: number }>();
  // Every fifth user's mail server is flaky: the first attempt fails and is retried.
  if (userId % 5 === 0 && ctx.retryCount === 0) {
    counts.retried++;
    console.log(`${elapsed()}  email:welcome user ${userId}: temporary failure, will retry`);
    throw new Error("SMTP 421 try again later");
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  counts.succeeded++;
});
mux.handle("image:resize", async (task) => {
  const { width } = task.json<{ width: number }>();
  if (width <= 0) {
    counts.archived++;
    console.log(`${elapsed()}  image:resize width ${width}: invalid, archived without retry`);
    throw new SkipRetryError("width must be positive");
  }
  await new Promise((resolve) => setTimeout(resolve, 30));
  counts.succeeded++;
});
mux.handle("cache:warm", async () => {
  counts.revoked++;
  throw new RevokeTaskError("cache already warm");
});

const server = new Server(broker, {
  concurrency: 5,
  queues: { critical: 6, default: 3, low: 1 },
  retryDelay: () => 1_000,
  delayedTaskCheckInterval: 250,
  logLevel: "warn",
});
await server.start(mux);
console.log(`${elapsed()}  server started: concurrency 5, queues critical:6 default:3 low:1`);

for (let i = 1; i <= TOTAL; i++) {
  if (i % 4 === 0)
    await client.enqueue(Task.json("image:resize", { width: i === 8 ? 0 : i * 10 }), {
      queue: "low",
    });
  else if (i % 7 === 0)
    await client.enqueue(Task.json("cache:warm", { key: i }), { queue: "default", processIn: 500 });
  else
    await client.enqueue(Task.json("email:welcome", { userId: i }), {
      queue: i % 2 ? "critical" : "default",
    });
}
console.log(`${elapsed()}  producer enqueued ${TOTAL} tasks (some scheduled 500 ms ahead)`);

while (counts.succeeded + counts.archived + counts.revoked < TOTAL) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await server.shutdown();
await broker.close();
console.log(
  `${elapsed()}  all ${TOTAL} tasks finished: ${counts.succeeded} succeeded, ${counts.retried} retried once, ` +
    `${counts.archived} archived, ${counts.revoked} revoked`,
);
