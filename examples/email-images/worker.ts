// The handlers: what a worker process registers on its ServeMux.
import { type Logger, ServeMux } from "@asynq-ts/core";
import { deliverEmail, resizeImage } from "./tasks.js";

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** Routes both task types; `log` receives one line per finished task. */
export function createMux(log: Logger): ServeMux {
  const mux = new ServeMux();
  mux.use((next) => async (task, ctx) => {
    const started = Date.now();
    try {
      await next(task, ctx);
      log.info(`${task.type} ${ctx.taskId} done in ${Date.now() - started} ms`);
    } catch (error) {
      log.warn(
        `${task.type} ${ctx.taskId} failed (attempt ${ctx.retryCount + 1}): ${String(error)}`,
      );
      throw error;
    }
  });
  mux.handle(
    deliverEmail.type,
    deliverEmail.handler(async ({ userId, templateId }, _task, ctx) => {
      await pause(10, ctx.signal); // stands in for the SMTP call, cancellable through ctx.signal
      if (templateId === "flaky" && ctx.retryCount === 0)
        throw new Error("SMTP 421: try again later");
      await ctx.writeResult(new TextEncoder().encode(`sent ${templateId} to user ${userId}`));
    }),
  );
  mux.handle(
    resizeImage.type,
    resizeImage.handler(async ({ sourceUrl, width }, _task, ctx) => {
      await pause(20, ctx.signal); // stands in for downloading and resizing
      await ctx.writeResult(new TextEncoder().encode(`${sourceUrl}@${width}w`));
    }),
  );
  return mux;
}
