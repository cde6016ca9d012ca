import { ApiError } from "./api-error.js";

/** An API path split into decoded segments and asynqmon's `:verb` suffix. */
export interface ApiPath {
  readonly segments: readonly string[];
  /** The text after the last raw ':' of the last segment, e.g. "pause"; undefined when none. */
  readonly verb: string | undefined;
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ApiError(400, "INVALID_ARGUMENT", "malformed percent-encoding in the path");
  }
}

/**
 * Parses the raw (still percent-encoded) path below `/api`, e.g. `/queues/a%3Ab:pause`.
 * The verb is split off before decoding, so a ':' a client encoded (%3A) stays part of a
 * queue name or task ID, while a literal ':' starts the verb.
 */
export function parseApiPath(rawPath: string): ApiPath {
  const raw = rawPath.replace(/^\/+/, "").replace(/\/$/, "");
  if (raw === "") return { segments: [], verb: undefined };
  const parts = raw.split("/");
  let verb: string | undefined;
  const last = parts[parts.length - 1]!;
  const colon = last.lastIndexOf(":");
  if (colon >= 0) {
    verb = last.slice(colon + 1);
    parts[parts.length - 1] = last.slice(0, colon);
  }
  return { segments: parts.map(decodeSegment), verb };
}
