import { InvalidArgumentError, SkipRetryError } from "../errors.js";
import type { Handler, HandlerContext } from "../handler/handler.js";
import type { TaskOptions } from "../options/task-options.js";
import { requireName } from "../options/validate.js";
import { Task } from "./task.js";

/** Turns a payload value into bytes and back. `decode` throws on bytes it cannot accept. */
export interface PayloadCodec<P> {
  encode(value: P): Uint8Array;
  decode(bytes: Uint8Array): P;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * JSON payloads. `validate` runs on every decode (and on encode, so bad values are refused
 * before they are enqueued); pass a schema's parse function, e.g. zod's `schema.parse`.
 */
export function jsonCodec<P>(
  validate: (value: unknown) => P = (value) => value as P,
): PayloadCodec<P> {
  return {
    encode(value) {
      const checked = validate(value);
      const text = JSON.stringify(checked);
      if (text === undefined)
        throw new InvalidArgumentError("payload", "value is not JSON-serialisable");
      return encoder.encode(text);
    },
    decode(bytes) {
      return validate(JSON.parse(decoder.decode(bytes)));
    },
  };
}

/** A typed handler: receives the decoded payload. */
export type TypedHandler<P> = (payload: P, task: Task, ctx: HandlerContext) => Promise<void>;

/** One task type with its payload codec: builds tasks and handlers that agree on the payload. */
export interface TaskDefinition<P> {
  readonly type: string;
  readonly codec: PayloadCodec<P>;
  /** A task of this type; the payload is encoded (and validated) now. */
  task(payload: P, options?: TaskOptions): Task;
  /** The decoded payload of a task of this type. */
  payload(task: Task): P;
  /**
   * A handler that decodes the payload first. Bytes the codec refuses can never succeed, so
   * they fail with `SkipRetryError` (archived at once) carrying the codec's error as `cause`.
   */
  handler(fn: TypedHandler<P>): Handler;
}

/**
 * Declares a task type with a typed payload:
 * ```ts
 * const welcome = defineTask("email:welcome", jsonCodec<{ userId: number }>());
 * await client.enqueue(welcome.task({ userId: 42 }));
 * mux.handle(welcome.type, welcome.handler(async ({ userId }) => send(userId)));
 * ```
 */
export function defineTask<P>(type: string, codec: PayloadCodec<P>): TaskDefinition<P> {
  requireName("type", type);
  const definition: TaskDefinition<P> = {
    type,
    codec,
    task(payload, options) {
      let bytes: Uint8Array;
      try {
        bytes = codec.encode(payload);
      } catch (error) {
        if (error instanceof InvalidArgumentError) throw error;
        throw new InvalidArgumentError("payload", `refused by the ${type} codec`, { cause: error });
      }
      return new Task(type, bytes, options);
    },
    payload(task) {
      return codec.decode(task.payload);
    },
    handler(fn) {
      return async (task, ctx) => {
        let payload: P;
        try {
          payload = codec.decode(task.payload);
        } catch (error) {
          throw new SkipRetryError(`payload of ${type} task cannot be decoded`, { cause: error });
        }
        await fn(payload, task, ctx);
      };
    },
  };
  return definition;
}
