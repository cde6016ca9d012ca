import pc from "picocolors";
import type { CliIo, OutputStream } from "../io.js";

/** picocolors' formatters, switched on or off for one stream. */
export type Colours = ReturnType<typeof pc.createColors>;

/**
 * Colours for `stream`: on when it is a terminal, unless NO_COLOR is set or --no-color given;
 * FORCE_COLOR turns them on anywhere.
 */
export function coloursFor(stream: OutputStream, io: CliIo, allowed: boolean): Colours {
  const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0";
  const disabled = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "";
  return pc.createColors(allowed && !disabled && (forced || stream.isTTY === true));
}
