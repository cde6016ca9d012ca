import type { Inspector } from "@asynq-ts/core";
import { render } from "ink";
import type { CliIo } from "../io.js";
import { Dashboard } from "./app.js";

// The terminal's alternate screen: the dashboard takes the whole window and the shell's
// scrollback comes back untouched when it quits.
const ENTER_ALTERNATE_SCREEN = "\u001b[?1049h\u001b[H";
const LEAVE_ALTERNATE_SCREEN = "\u001b[?1049l";

/** Runs the dashboard on the terminal until the user quits. */
export async function runDashboard(
  io: CliIo,
  options: { inspector: Inspector; label: string; refreshMs: number },
): Promise<void> {
  const stdout = io.stdout as NodeJS.WriteStream;
  stdout.write(ENTER_ALTERNATE_SCREEN);
  const app = render(<Dashboard {...options} />, {
    stdout,
    stderr: io.stderr as NodeJS.WriteStream,
    ...(io.stdin === undefined ? {} : { stdin: io.stdin }),
    exitOnCtrlC: true,
    patchConsole: false,
  });
  try {
    await app.waitUntilExit();
  } finally {
    app.cleanup();
    stdout.write(LEAVE_ALTERNATE_SCREEN);
  }
}
