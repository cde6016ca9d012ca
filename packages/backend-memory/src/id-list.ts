interface Node {
  readonly id: string;
  prev: Node | undefined;
  next: Node | undefined;
}

/**
 * An ordered set of task IDs with O(1) insertion at either end, removal by ID and removal from
 * the front: the shape of asynq's pending and active lists, read front (next to run) to back.
 */
export class IdList implements Iterable<string> {
  readonly #nodes = new Map<string, Node>();
  #head: Node | undefined;
  #tail: Node | undefined;

  get size(): number {
    return this.#nodes.size;
  }

  has(id: string): boolean {
    return this.#nodes.has(id);
  }

  /** The ID at the front (taken next), if any. */
  first(): string | undefined {
    return this.#head?.id;
  }

  /** Appends at the back of the line; an ID already present moves there. */
  pushBack(id: string): void {
    this.delete(id);
    const node: Node = { id, prev: this.#tail, next: undefined };
    if (this.#tail === undefined) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#nodes.set(id, node);
  }

  /** Inserts at the front of the line; an ID already present moves there. */
  pushFront(id: string): void {
    this.delete(id);
    const node: Node = { id, prev: undefined, next: this.#head };
    if (this.#head === undefined) this.#tail = node;
    else this.#head.prev = node;
    this.#head = node;
    this.#nodes.set(id, node);
  }

  /** Removes and returns the front ID. */
  shift(): string | undefined {
    const id = this.#head?.id;
    if (id !== undefined) this.delete(id);
    return id;
  }

  /** Removes an ID wherever it is; false if absent. */
  delete(id: string): boolean {
    const node = this.#nodes.get(id);
    if (node === undefined) return false;
    if (node.prev === undefined) this.#head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.#tail = node.prev;
    else node.next.prev = node.prev;
    this.#nodes.delete(id);
    return true;
  }

  /** A snapshot of the IDs, front first (safe to mutate the list while using it). */
  toArray(): string[] {
    return [...this];
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let node = this.#head; node !== undefined; node = node.next) yield node.id;
  }
}
