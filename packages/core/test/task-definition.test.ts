import {
  defineTask,
  type HandlerContext,
  jsonCodec,
  type PayloadCodec,
  Task,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";

interface Resize {
  readonly url: string;
  readonly width: number;
}

const validateResize = (value: unknown): Resize => {
  const v = value as Partial<Resize>;
  if (typeof v?.url !== "string" || typeof v.width !== "number")
    throw new TypeError("not a Resize");
  return { url: v.url, width: v.width };
};

const ctx = {} as HandlerContext;

describe("defineTask", () => {
  const resize = defineTask("image:resize", jsonCodec(validateResize));

  it("builds tasks whose payload is the encoded value and reads it back typed", () => {
    const task = resize.task({ url: "s3://a.png", width: 200 }, { queue: "low" });
    expect(task.type).toBe("image:resize");
    expect(task.text()).toBe('{"url":"s3://a.png","width":200}');
    expect(task.options.queue).toBe("low");
    expect(resize.payload(task)).toEqual({ url: "s3://a.png", width: 200 });
  });

  it("refuses a value the codec rejects before anything is enqueued", () => {
    expect(() => resize.task({ url: 1 } as unknown as Resize)).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        field: "payload",
        cause: expect.any(TypeError),
      }),
    );
  });

  it("hands the decoded payload to a typed handler", async () => {
    const seen: Resize[] = [];
    const handler = resize.handler(async (payload) => {
      seen.push(payload);
    });
    await handler(resize.task({ url: "x", width: 1 }), ctx);
    expect(seen).toEqual([{ url: "x", width: 1 }]);
  });

  it("fails undecodable payloads with SkipRetryError so they are archived, not retried", async () => {
    const handler = resize.handler(async () => {});
    for (const bad of ["not json", '{"url":"x"}', new Uint8Array([0xff, 0xfe])]) {
      const error = await handler(new Task("image:resize", bad), ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: "SKIP_RETRY" });
      expect((error as Error).cause).toBeDefined();
    }
  });

  it("lets errors thrown by the handler itself through unchanged", async () => {
    const boom = new Error("upstream 503");
    const handler = resize.handler(async () => {
      throw boom;
    });
    await expect(handler(resize.task({ url: "x", width: 1 }), ctx)).rejects.toBe(boom);
  });

  it("accepts any codec, e.g. raw UTF-8 text", () => {
    const text: PayloadCodec<string> = {
      encode: (s) => new TextEncoder().encode(s),
      decode: (b) => new TextDecoder().decode(b),
    };
    const log = defineTask("log:line", text);
    expect(log.payload(log.task("héllo"))).toBe("héllo");
  });

  it("refuses a blank type and values JSON cannot hold", () => {
    expect(() => defineTask(" ", jsonCodec())).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    expect(() => defineTask("t", jsonCodec<unknown>()).task(undefined)).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });
});
