import { InvalidArgumentError } from "../errors.js";

/** `value` when it is an options object, `{}` when it is undefined; refuses anything else. */
export function optionsObject<T extends object>(
  value: T | undefined,
  field = "options",
): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(field, "must be an object");
  }
  return value;
}
