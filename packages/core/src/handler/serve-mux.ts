import { HandlerNotFoundError, InvalidArgumentError } from "../errors.js";
import { requireName } from "../options/validate.js";
import type { Task } from "../task/task.js";
import type { Handler, HandlerContext, Middleware } from "./handler.js";

/** The handler chosen for a task type, and the pattern that chose it ("" if none matched). */
export interface Route {
  readonly handler: Handler;
  readonly pattern: string;
}

const notFound: Handler = async (task) => {
  throw new HandlerNotFoundError(task.type);
};

/**
 * Routes tasks to handlers by type: an exact match first, otherwise the longest registered
 * pattern that is a prefix of the type (`images:thumbnails` beats `images`). Middlewares wrap
 * the chosen handler, the first registered outermost.
 */
export class ServeMux {
  readonly #handlers = new Map<string, Handler>();
  readonly #middlewares: Middleware[] = [];

  /** Registers `handler` for `pattern`; a pattern can be registered once. */
  handle(pattern: string, handler: Handler): this {
    requireName("pattern", pattern);
    if (typeof handler !== "function")
      throw new InvalidArgumentError("handler", "must be a function");
    if (this.#handlers.has(pattern)) {
      throw new InvalidArgumentError("pattern", `${JSON.stringify(pattern)} is already registered`);
    }
    this.#handlers.set(pattern, handler);
    return this;
  }

  /** Adds middlewares; they apply to every route, including the not-found handler. */
  use(...middlewares: Middleware[]): this {
    for (const m of middlewares) {
      if (typeof m !== "function")
        throw new InvalidArgumentError("middleware", "must be a function");
    }
    this.#middlewares.push(...middlewares);
    return this;
  }

  /** The route for a task type, without middlewares. */
  route(type: string): Route {
    const exact = this.#handlers.get(type);
    if (exact !== undefined) return { handler: exact, pattern: type };
    let best: Route = { handler: notFound, pattern: "" };
    for (const [pattern, handler] of this.#handlers) {
      if (type.startsWith(pattern) && pattern.length > best.pattern.length)
        best = { handler, pattern };
    }
    return best;
  }

  /** Runs the task through the middlewares and its handler. Usable as a `Handler`. */
  readonly process: Handler = (task: Task, ctx: HandlerContext) => {
    let handler = this.route(task.type).handler;
    for (let i = this.#middlewares.length - 1; i >= 0; i--)
      handler = this.#middlewares[i]!(handler);
    return handler(task, ctx);
  };
}
