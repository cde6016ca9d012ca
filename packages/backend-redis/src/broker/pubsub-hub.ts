import type { RedisConnection, Subscriber } from "../connection/connection.js";

type Handler = (message: string) => void;

/** A handler registration: `ready` settles once the channel is subscribed. */
export interface Listening {
  readonly ready: Promise<void>;
  remove(): void;
}

/**
 * One subscriber connection (a duplicate the broker owns) shared by every listener of the
 * broker: task wake-ups and cancellations.
 */
export class PubSubHub {
  readonly #connection: RedisConnection;
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #subscriptions = new Map<string, Promise<void>>();
  #subscriber: Promise<Subscriber> | undefined;
  #closed = false;

  constructor(connection: RedisConnection) {
    this.#connection = connection;
  }

  /**
   * Registers `handler` on `channel` at once (so nothing published after this call is missed
   * once `ready` settles). A `persistent` channel stays subscribed when its last handler goes,
   * so frequent short waits do not churn subscriptions.
   */
  listen(channel: string, handler: Handler, persistent: boolean): Listening {
    let handlers = this.#handlers.get(channel);
    if (handlers === undefined) {
      handlers = new Set();
      this.#handlers.set(channel, handlers);
    }
    handlers.add(handler);
    const ready = this.#subscribe(channel);
    return {
      ready,
      remove: () => {
        handlers.delete(handler);
        if (handlers.size > 0 || persistent || this.#closed) return;
        this.#handlers.delete(channel);
        const subscribed = this.#subscriptions.get(channel);
        this.#subscriptions.delete(channel);
        void subscribed
          ?.then(async () => (await this.#subscriber)?.unsubscribe(channel))
          .catch(() => {});
      },
    };
  }

  /** Closes the subscriber connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#handlers.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) await (await subscriber.catch(() => undefined))?.close();
  }

  #subscribe(channel: string): Promise<void> {
    let subscribed = this.#subscriptions.get(channel);
    if (subscribed === undefined) {
      subscribed = this.#open().then((subscriber) => subscriber.subscribe(channel));
      // A failed subscription is retried by the next listener.
      subscribed.catch(() => this.#subscriptions.delete(channel));
      this.#subscriptions.set(channel, subscribed);
    }
    return subscribed;
  }

  #open(): Promise<Subscriber> {
    if (this.#subscriber === undefined) {
      const opening = this.#connection.openSubscriber((channel, message) => {
        for (const handler of this.#handlers.get(channel) ?? []) handler(message);
      });
      opening.catch(() => {
        if (this.#subscriber === opening) this.#subscriber = undefined;
      });
      this.#subscriber = opening;
    }
    return this.#subscriber;
  }
}
