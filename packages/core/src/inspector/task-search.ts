import { InvalidArgumentError } from "../errors.js";
import { requireName } from "../options/validate.js";
import type { TaskRecord } from "../port/records.js";
import type { TaskInfo } from "../task/task-info.js";
import { optionsObject } from "./options-object.js";
import type { PageOptions, PageWindow } from "./pagination.js";

/** What `searchTasks` looks for, which page of the matches it returns, and how far it looks. */
export interface TaskSearchOptions extends PageOptions {
  /** Only tasks of exactly this type. */
  readonly type?: string;
  /** Only tasks whose payload contains these bytes (a string is matched as UTF-8). */
  readonly payloadContains?: string | Uint8Array;
  /**
   * Only tasks of this aggregation group. Required for `"aggregating"`, where it names the
   * group to scan; for other states it filters on the group the task carries.
   */
  readonly group?: string;
  /** Examine at most this many tasks. @default 10_000 */
  readonly scanLimit?: number;
}

/** One page of the tasks a bounded scan found. */
export interface TaskSearchResult {
  readonly tasks: readonly TaskInfo[];
  /** How many tasks the scan examined. */
  readonly scanned: number;
  /**
   * True when the scan stopped at `scanLimit` with tasks left unexamined, so matches (even
   * ones belonging on this page) may be missing. False when it reached the end of the state
   * or had found enough matches for the page.
   */
  readonly truncated: boolean;
}

/** How many tasks `searchTasks` examines unless told otherwise. */
export const DEFAULT_SEARCH_SCAN_LIMIT = 10_000;

/** How many tasks one broker read fetches while scanning. */
export const SEARCH_CHUNK_SIZE = 500;

/** A validated search: the filter, the scan bound and the group that names the container. */
export interface TaskSearch {
  readonly matches: (record: TaskRecord) => boolean;
  readonly scanLimit: number;
  readonly group: string | undefined;
}

const encoder = new TextEncoder();

/** True when `needle` occurs in `haystack` (always for an empty needle). */
export function includesBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  const last = haystack.length - needle.length;
  for (let start = 0; start <= last; start++) {
    let j = 0;
    while (j < needle.length && haystack[start + j] === needle[j]) j++;
    if (j === needle.length) return true;
  }
  return false;
}

function requirePayloadNeedle(value: unknown): Uint8Array {
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  throw new InvalidArgumentError("payloadContains", "must be a string or a Uint8Array");
}

/** Validates search options (before anything is read) into a filter and a bound. */
export function taskSearchOf(options: TaskSearchOptions | undefined): TaskSearch {
  const o: TaskSearchOptions = optionsObject(options);
  const type = o.type === undefined ? undefined : requireName("type", o.type);
  const needle =
    o.payloadContains === undefined ? undefined : requirePayloadNeedle(o.payloadContains);
  const group = o.group === undefined ? undefined : requireName("group", o.group);
  const scanLimit = o.scanLimit ?? DEFAULT_SEARCH_SCAN_LIMIT;
  if (!Number.isSafeInteger(scanLimit) || scanLimit < 1) {
    throw new InvalidArgumentError("scanLimit", "must be a positive integer");
  }
  const matches = ({ message }: TaskRecord): boolean =>
    (type === undefined || message.type === type) &&
    (group === undefined || message.group === group) &&
    (needle === undefined || includesBytes(message.payload, needle));
  return { matches, scanLimit, group };
}

/** Reads `limit` records of the searched container from `offset`. */
export type PageReader = (offset: number, limit: number) => Promise<readonly TaskRecord[]>;

/**
 * Reads the container in chunks, in listing order, collecting the matches that fall in
 * `window` (a page of the matches), until the page is full, the container ends, or
 * `scanLimit` tasks were examined. Not a snapshot: a task that moves while the scan runs may
 * be missed, and one seen twice is counted once.
 */
export async function scanForMatches(
  read: PageReader,
  search: TaskSearch,
  window: PageWindow,
): Promise<{ records: TaskRecord[]; scanned: number; truncated: boolean }> {
  const wanted = window.offset + window.limit;
  const found: TaskRecord[] = [];
  const seen = new Set<string>();
  let matched = 0;
  let scanned = 0;
  while (matched < wanted) {
    const remaining = search.scanLimit - scanned;
    // One task beyond the bound tells whether stopping there leaves anything unexamined.
    const limit = Math.min(SEARCH_CHUNK_SIZE, remaining + 1);
    const chunk = await read(scanned, limit);
    for (const record of chunk.slice(0, remaining)) {
      scanned++;
      if (seen.has(record.message.id)) continue;
      seen.add(record.message.id);
      if (!search.matches(record)) continue;
      if (matched >= window.offset) found.push(record);
      matched++;
      if (matched === wanted) return { records: found, scanned, truncated: false };
    }
    if (chunk.length > remaining) return { records: found, scanned, truncated: true };
    if (chunk.length < limit) break;
  }
  return { records: found, scanned, truncated: false };
}
