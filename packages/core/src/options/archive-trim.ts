import type { ArchiveTrim } from "../port/params.js";
import { DEFAULTS } from "./defaults.js";

/** The archive bounds Go asynq hard-codes (10 000 tasks, 90 days), as a port parameter. */
export function defaultArchiveTrim(now: number): ArchiveTrim {
  return { maxSize: DEFAULTS.archiveMaxSize, cutoff: now - DEFAULTS.archiveMaxAge };
}
