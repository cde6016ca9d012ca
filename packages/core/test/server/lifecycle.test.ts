import {
  type AsynqError,
  defaultConcurrency,
  InvalidArgumentError,
  type Logger,
  resolveServerConfig,
  Server,
  type ServerConfig,
  Task,
} from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { until, World } from "./support.js";

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(async () => {
  await world.dispose();
});

function codeOfThrown(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as AsynqError).code;
  }
  return undefined;
}

describe("server lifecycle", () => {
  it("goes new → active → stopped → closed", async () => {
    const server = world.server();
    expect(server.state).toBe("new");
    server.start(async () => {});
    expect(server.state).toBe("active");
    await server.stop();
    expect(server.state).toBe("stopped");
    await server.shutdown();
    expect(server.state).toBe("closed");
  });

  it("refuses to start twice, while stopped, or once closed", async () => {
    const server = world.server();
    server.start(async () => {});
    expect(codeOfThrown(() => server.start(async () => {}))).toBe("FAILED_PRECONDITION");
    await server.stop();
    expect(codeOfThrown(() => server.start(async () => {}))).toBe("FAILED_PRECONDITION");
    await server.shutdown();
    expect(codeOfThrown(() => server.start(async () => {}))).toBe("BROKER_CLOSED");
  });

  it("refuses a handler that is neither a function nor a ServeMux", () => {
    const server = world.server();
    expect(codeOfThrown(() => server.start(null as never))).toBe("INVALID_ARGUMENT");
    expect(server.state).toBe("new");
  });

  it("treats stop and shutdown before start as no-ops", async () => {
    const server = world.server();
    await server.stop();
    await server.shutdown();
    expect(server.state).toBe("new");
    server.start(async () => {});
    expect(server.state).toBe("active");
  });

  it("shares one shutdown between concurrent calls, and stops processing", async () => {
    let handled = 0;
    const server = await world.start(async () => {
      handled++;
    });
    const first = server.shutdown();
    expect(server.shutdown()).toBe(first);
    await first;
    await world.client.enqueue(new Task("late"));
    await world.clock.tick(10_000);
    expect(handled).toBe(0);
  });

  it("stops taking tasks after stop(), while running ones finish", async () => {
    const started: string[] = [];
    const server = await world.start(async (_task, ctx) => {
      started.push(ctx.taskId);
    });
    await server.stop();
    await world.client.enqueue(new Task("x"), { taskId: "t1" });
    await world.clock.tick(5_000);
    expect(started).toHaveLength(0);
    expect((await world.task("t1"))?.state).toBe("pending");
  });

  it("stops at once when stop() comes before the processor starts waiting", async () => {
    // This broker's wait ends only on abort, so a missed abort would hang stop() for good.
    const broker = new Proxy(world.broker, {
      get(target, property, receiver) {
        if (property === "waitForTasks") {
          return ({ signal }: { signal?: AbortSignal }) =>
            new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve()));
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const server = world.server({}, broker);
    server.start(async () => {});
    let stopped = false;
    void server.stop().then(() => {
      stopped = true;
    });
    await until(() => stopped, "stop() to resolve");
  });

  it("shuts down through Symbol.asyncDispose", async () => {
    let server: Server | undefined;
    {
      await using s = world.server();
      server = s;
      s.start(async () => {});
    }
    expect(server.state).toBe("closed");
  });

  it("runs until SIGTERM, stops on SIGTSTP and removes its signal listeners", async () => {
    const before = ["SIGTERM", "SIGINT", "SIGTSTP"].map((s) => process.listenerCount(s));
    const server = world.server();
    let finished = false;
    const running = server
      .run(async () => {})
      .then(() => {
        finished = true;
      });
    expect(server.state).toBe("active");
    expect(process.listenerCount("SIGTERM")).toBe(before[0]! + 1);
    process.emit("SIGTSTP");
    await until(() => server.state === "stopped", "the server to stop");
    expect(finished).toBe(false);
    process.emit("SIGTERM");
    await running;
    expect(server.state).toBe("closed");
    expect(["SIGTERM", "SIGINT", "SIGTSTP"].map((s) => process.listenerCount(s))).toStrictEqual(
      before,
    );
  });

  it("resolves run() when shutdown() is called", async () => {
    const server = world.server();
    const running = server.run(async () => {});
    await server.shutdown();
    await running;
    expect(process.listenerCount("SIGINT")).toBe(0);
  });

  it("pings the broker", async () => {
    await expect(world.server().ping()).resolves.toBeUndefined();
  });
});

describe("server configuration", () => {
  it("applies Go asynq's defaults", () => {
    const config = resolveServerConfig();
    expect(config).toMatchObject({
      concurrency: defaultConcurrency(),
      queues: { default: 1 },
      strictPriority: false,
      shutdownTimeout: 8_000,
      healthCheck: undefined,
      healthCheckInterval: 15_000,
      delayedTaskCheckInterval: 5_000,
      taskCheckInterval: 1_000,
      janitorInterval: 8_000,
      janitorBatchSize: 100,
      logLevel: "info",
      errorHandler: undefined,
    });
    expect(config.isFailure(new Error("x"))).toBe(true);
    const delay = config.retryDelay(0, new Error("x"), new Task("t"));
    expect(delay).toBeGreaterThanOrEqual(15_000);
    expect(delay).toBeLessThan(45_000);
  });

  it("uses a clock that also schedules as the timers", () => {
    const config = resolveServerConfig({ clock: world.clock });
    expect(config.timers).toBe(world.clock);
    const wallClock = { now: () => 0 };
    expect(resolveServerConfig({ clock: wallClock }).timers).not.toBe(wallClock);
  });

  const invalid: [string, ServerConfig][] = [
    ["concurrency", { concurrency: 0 }],
    ["concurrency", { concurrency: 1.5 }],
    ["queues", { queues: {} }],
    ["queues", { queues: [] as never }],
    ["queues.low", { queues: { low: 0 } }],
    ["queues", { queues: { " ": 1 } }],
    ["strictPriority", { strictPriority: "yes" as never }],
    ["retryDelay", { retryDelay: 5 as never }],
    ["isFailure", { isFailure: true as never }],
    ["errorHandler", { errorHandler: {} as never }],
    ["logger", { logger: { info: () => {} } as never }],
    ["logLevel", { logLevel: "verbose" as never }],
    ["shutdownTimeout", { shutdownTimeout: -1 }],
    ["healthCheck", { healthCheck: "ping" as never }],
    ["healthCheckInterval", { healthCheckInterval: 0 }],
    ["delayedTaskCheckInterval", { delayedTaskCheckInterval: Number.NaN }],
    ["taskCheckInterval", { taskCheckInterval: -5 }],
    ["janitorInterval", { janitorInterval: Number.POSITIVE_INFINITY }],
    ["janitorBatchSize", { janitorBatchSize: 0 }],
    ["clock", { clock: {} as never }],
    ["timers", { timers: { setTimeout: () => 0 } as never }],
    ["ids", { ids: {} as never }],
    ["random", { random: 0.5 as never }],
    ["concurency", { concurency: 3 } as never],
  ];
  it.each(invalid)("refuses a bad %s", (field, config) => {
    let thrown: unknown;
    try {
      new Server(world.broker, config);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as InvalidArgumentError).field).toBe(field);
  });

  it("refuses something that is not a broker", () => {
    expect(codeOfThrown(() => new Server({} as never))).toBe("INVALID_ARGUMENT");
  });

  it("accepts a shutdown timeout of 0 (requeue at once)", () => {
    expect(resolveServerConfig({ shutdownTimeout: 0 }).shutdownTimeout).toBe(0);
  });

  it("accepts the console and pino-shaped loggers", () => {
    type LogFn = {
      (object: object, message?: string, ...args: unknown[]): void;
      (message: string, ...args: unknown[]): void;
    };
    const calls: unknown[][] = [];
    const fn: LogFn = (...args: unknown[]) => void calls.push(args);
    const pinoLike = { debug: fn, info: fn, warn: fn, error: fn, fatal: fn, level: "info" };
    const logger: Logger = pinoLike;
    expect(resolveServerConfig({ logger: console }).logger).toBeDefined();
    resolveServerConfig({ logger, logLevel: "debug" }).logger.warn("hello", { a: 1 });
    resolveServerConfig({ logger }).logger.info("bare");
    expect(calls).toStrictEqual([["hello", { a: 1 }], ["bare"]]);
  });

  it("filters log calls below the log level", async () => {
    const server = world.server({ logLevel: "warn" });
    server.start(async () => {});
    await server.shutdown();
    expect(world.logger.entries.filter((e) => e.level === "info")).toHaveLength(0);
  });
});
