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
  /** Channels whose SUBSCRIBE Redis has confirmed (and not since dropped by us). */
  readonly #confirmed = new Set<string>();
  /** Messages received on any channel so far. */
  #received = 0;
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
        this.#confirmed.delete(channel);
        void subscribed
          ?.then(async () => (await this.#subscriber)?.unsubscribe(channel))
          .catch(() => {});
      },
    };
  }

  /**
   * A mark to compare later with `quietSince`: taken before a read, it lets a waiter know that
   * nothing was published on `channels` since (or `undefined` when one is not subscribed yet).
   */
  mark(channels: readonly string[]): number | undefined {
    for (const channel of channels) if (!this.#confirmed.has(channel)) return undefined;
    return this.#received;
  }

  /** True when no message (on any channel) arrived since `mark` was taken. */
  quietSince(mark: number | undefined): boolean {
    return mark !== undefined && mark === this.#received && !this.#closed;
  }

  /** Closes the subscriber connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#handlers.clear();
    this.#confirmed.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) await (await subscriber.catch(() => undefined))?.close();
  }

  #subscribe(channel: string): Promise<void> {
    let subscribed = this.#subscriptions.get(channel);
    if (subscribed === undefined) {
      const subscribing = this.#open().then((subscriber) => subscriber.subscribe(channel));
      subscribed = subscribing;
      subscribing.then(
        () => {
          if (this.#subscriptions.get(channel) === subscribing) this.#confirmed.add(channel);
        },
        // A failed subscription is retried by the next listener.
        () => this.#subscriptions.delete(channel),
      );
      this.#subscriptions.set(channel, subscribing);
    }
    return subscribed;
  }

  #open(): Promise<Subscriber> {
    if (this.#subscriber === undefined) {
      const opening = this.#connection.openSubscriber((channel, message) => {
        this.#received++;
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
