import { InvalidArgumentError } from "../errors.js";
import type { TaskOptions } from "../options/task-options.js";
import { requireHeaders, requireName } from "../options/validate.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Payload accepted by `Task`: bytes, or a string stored as UTF-8. */
export type PayloadInput = Uint8Array | string;

/**
 * A unit of work: a type name, payload bytes, headers and default options. Options given
 * here are defaults; options passed at enqueue time override them.
 */
export class Task {
  readonly type: string;
  readonly payload: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly options: Readonly<TaskOptions>;

  constructor(type: string, payload: PayloadInput = new Uint8Array(0), options: TaskOptions = {}) {
    this.type = requireName("type", type);
    if (typeof payload === "string") this.payload = encoder.encode(payload);
    else if (payload instanceof Uint8Array) this.payload = payload;
    else throw new InvalidArgumentError("payload", "must be a Uint8Array or a string");
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      throw new InvalidArgumentError("options", "must be an object");
    }
    this.headers = Object.freeze(
      options.headers === undefined ? {} : requireHeaders("headers", options.headers),
    );
    // The validated copy replaces the caller's headers object, so later mutations of it do not leak in.
    this.options = Object.freeze(
      options.headers === undefined ? { ...options } : { ...options, headers: this.headers },
    );
  }

  /** A task whose payload is `value` as JSON. */
  static json(type: string, value: unknown, options?: TaskOptions): Task {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (cause) {
      // BigInt values and cycles make JSON.stringify throw a TypeError.
      throw new InvalidArgumentError("payload", "value is not JSON-serialisable", { cause });
    }
    if (text === undefined)
      throw new InvalidArgumentError("payload", "value is not JSON-serialisable");
    return new Task(type, text, options);
  }

  /** The payload decoded as UTF-8 text. */
  text(): string {
    return decoder.decode(this.payload);
  }

  /** The payload parsed as JSON. The type parameter is not checked at run time. */
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}
