import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, emptyHome } from "./support/cli.js";
import { seed } from "./support/seed.js";

// `asynq dash` in a real pseudo-terminal: tmux on a private socket runs the executable, the
// test reads the screen with capture-pane and types with send-keys.

const run = promisify(execFile);
// A private server (its own socket file, no user config): nothing touches the user's tmux.
const socketDir = mkdtempSync(join(tmpdir(), "asynq-cli-tmux-"));
const tmux = (...args: string[]) =>
  run("tmux", ["-S", join(socketDir, "tmux.sock"), "-f", "/dev/null", ...args]);
const screen = async () => (await tmux("capture-pane", "-p", "-t", "dash")).stdout;
const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** Waits until the screen shows `text` (the bound only stops a hung test). */
async function waitFor(text: string | RegExp): Promise<string> {
  let last = "";
  for (let attempt = 0; attempt < 300; attempt++) {
    last = await screen();
    if (typeof text === "string" ? last.includes(text) : text.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the screen never showed ${String(text)}; it shows:\n${last}`);
}

const press = (...keys: string[]) => tmux("send-keys", "-t", "dash", ...keys);

let server: RedisServerHandle;

beforeAll(async () => {
  server = await startRedisServer();
  await seed(server.url);
});
afterAll(async () => {
  await tmux("kill-server").catch(() => {}); // already gone when the session ended
  rmSync(socketDir, { recursive: true, force: true });
  await server?.stop();
});

describe("asynq dash", { timeout: 90_000 }, () => {
  it("shows the queues, drills into a queue's states, a task and a group, and quits with q", async () => {
    const command = [
      "env",
      `HOME=${quote(emptyHome())}`,
      "ASYNQ_CLI_FROM_SOURCE=1",
      // ink renders only the last frame when it thinks it runs in CI; the pane is a real terminal.
      "CI=false",
      quote(process.execPath),
      quote(BIN),
      "dash",
      "--uri",
      quote(server.url),
      "--refresh",
      "1",
    ].join(" ");
    // The pane outlives the dashboard so its exit status can be read.
    await tmux(
      "new-session",
      "-d",
      "-s",
      "dash",
      "-x",
      "150",
      "-y",
      "40",
      `${command}; echo "dash exited with $?"; sleep 60`,
    );

    const home = await waitFor(/> critical/);
    expect(home).toMatch(/asynq dash {2}redis:\/\/127\.0\.0\.1:\d+\/0 {2}every 1s/);
    expect(home).toMatch(
      / {2}Queue\s+State\s+Size\s+Latency\s+Memory\s+Processed\s+Failed\s+Error Rate/,
    );
    expect(home).toMatch(/> critical\s+run\s+6\s+/);
    expect(home).toMatch(/\n {2}default\s+run\s+4\s+/);
    expect(home).toMatch(/\n {2}low\s+run\s+1\s+/);

    await press("j");
    await waitFor("> default");
    await press("Enter");
    const queue = await waitFor("Queue default");
    expect(queue).toContain(
      "[active (0)] pending (3)  aggregating (0)  scheduled (1)  retry (0)  archived (0)  completed (0)",
    );
    expect(queue).toContain("No active tasks.");

    await press("l");
    const pending = await waitFor("[pending (3)]");
    expect(pending).toMatch(/> p1\s+email:send\s+\{"to":"p1@example\.com"\}\s+0\/25/);
    expect(pending).toMatch(/\n {2}p3\s+email:send/);

    await press("j");
    await waitFor("> p2");
    await press("Enter");
    const task = await waitFor("Task p2");
    expect(task).toMatch(/State:\s+pending/);
    expect(task).toMatch(/Payload:\s+\{"to":"p2@example\.com"\}/);

    await press("q");
    await waitFor("[pending (3)]");
    await press("Escape");
    await waitFor("> default");
    await press("k");
    await waitFor("> critical");
    await press("Enter");
    await waitFor("Queue critical");
    await press("l");
    await waitFor("[pending (0)]");
    await press("l");
    const groups = await waitFor("[aggregating (2)]");
    expect(groups).toMatch(/> digest\s+2/);
    await press("Enter");
    const grouped = await waitFor("> g1");
    expect(grouped).toMatch(/\n {2}g2\s+digest:add\s+g2\s+digest/);
    expect(grouped).toContain("page 1 in group digest");

    await press("?");
    await waitFor("toggle this help");
    await press("q");
    await waitFor("[aggregating (2)]");
    await press("q"); // leaves the group
    await waitFor("> digest");
    await press("q");
    await waitFor("> critical");
    await press("q");
    const after = await waitFor("dash exited with");
    expect(after).toContain("dash exited with 0");
  });
});
