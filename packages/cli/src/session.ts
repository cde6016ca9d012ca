import type { Command } from "commander";
import { type Backend, type OpenOptions, openBackend } from "./connection.js";
import { type ConnectionFlags, resolveSettings } from "./connection-settings.js";
import type { CliIo } from "./io.js";
import { Output } from "./output/output.js";

/** Every global flag (undefined = not given). */
export interface GlobalFlags extends ConnectionFlags {
  readonly json?: boolean;
  readonly debug?: boolean;
  /** False with --no-color. */
  readonly color?: boolean;
}

/** What a command action works with: its output and a way to reach Redis. */
export interface Session {
  readonly io: CliIo;
  readonly flags: GlobalFlags;
  readonly out: Output;
  /** Opens the backend, runs `body`, and always closes it. */
  withBackend<T>(body: (backend: Backend) => Promise<T>, options?: OpenOptions): Promise<T>;
}

/** The session of the command being run (its options merged with the global ones). */
export function sessionOf(command: Command, io: CliIo): Session {
  const flags = command.optsWithGlobals<GlobalFlags>();
  return {
    io,
    flags,
    out: new Output(io, { json: flags.json === true, colour: flags.color !== false }),
    async withBackend(body, options) {
      const backend = await openBackend(await resolveSettings(flags, io), options);
      try {
        return await body(backend);
      } finally {
        await backend.close();
      }
    },
  };
}
