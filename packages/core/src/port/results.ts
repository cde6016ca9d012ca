/** A guarded port operation's result: success, possibly with a value. */
export type Ok<T extends object = object> = { readonly ok: true } & T;

/** A guarded port operation that refused: nothing was changed. */
export interface Refused<R extends string> {
  readonly ok: false;
  readonly reason: R;
}

/** Success or a refusal with one of the listed reasons. */
export type Result<R extends string, T extends object = object> = Ok<T> | Refused<R>;
