// asynq's README example (email delivery + image resizing) end to end in one command:
//   npm run example                              — on the in-memory broker
//   REDIS_URL=redis://127.0.0.1:6379 npm run example   — on Redis (Go asynq's key layout)
import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { type Broker, Client, Inspector, type Logger, Server } from "@asynq-ts/core";
import { deliverEmail, resizeImage } from "./tasks.js";
import { createMux } from "./worker.js";

async function openBroker(): Promise<Broker> {
  const url = process.env.REDIS_URL;
  if (!url) return createMemoryBroker();
  const { createRedisBroker } = await import("@asynq-ts/backend-redis");
  return createRedisBroker({ url });
}

const log: Logger = {
  debug: () => {},
  info: (message) => console.log(`  ${message}`),
  warn: (message) => console.log(`  ${message}`),
  error: (message) => console.error(`  ${message}`),
};

const broker = await openBroker();
const client = new Client(broker);
const inspector = new Inspector(broker);
console.log(`broker: ${process.env.REDIS_URL ? `redis at ${process.env.REDIS_URL}` : "in memory"}`);

// Producer: what a web request handler would do.
const run = Date.now().toString(36);
const ids = [
  await client.enqueue(deliverEmail.task({ userId: 42, templateId: "welcome" }), {
    queue: "critical",
    retention: 60_000,
  }),
  await client.enqueue(deliverEmail.task({ userId: 7, templateId: "flaky" }), {
    queue: "critical",
    retention: 60_000,
  }),
  await client.enqueue(resizeImage.task({ sourceUrl: "s3://bucket/cat.png", width: 200 }), {
    retention: 60_000,
  }),
  await client.enqueue(resizeImage.task({ sourceUrl: "s3://bucket/dog.png", width: 640 }), {
    processIn: 1_000,
    retention: 60_000,
    taskId: `resize-dog-${run}`,
  }),
].map((info) => ({ id: info.id, queue: info.queue, state: info.state }));
for (const t of ids) console.log(`enqueued ${t.id} to ${t.queue} (${t.state})`);

// Worker: normally its own process.
const server = new Server(broker, {
  concurrency: 4,
  queues: { critical: 6, default: 3 },
  retryDelay: () => 1_000,
  delayedTaskCheckInterval: 200,
  logger: log,
  logLevel: "info",
});
await server.start(createMux(log));

const deadline = Date.now() + 15_000;
for (;;) {
  const infos = await Promise.all(ids.map((t) => inspector.taskInfo(t.queue, t.id)));
  if (infos.every((i) => i.state === "completed")) {
    for (const i of infos)
      console.log(`${i.type} ${i.id}: ${new TextDecoder().decode(i.result ?? new Uint8Array())}`);
    break;
  }
  if (Date.now() > deadline) throw new Error("tasks did not complete within 15 s");
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await server.shutdown();
await inspector.close();
await client.close();
await broker.close();
console.log("all tasks completed; server shut down");
