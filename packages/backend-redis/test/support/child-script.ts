import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const READY_TIMEOUT_MS = 20_000;

/** A TypeScript test script running in its own Node process. */
export interface ChildScript {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Settles with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** The capture groups of the `ready` pattern in its stdout. */
  readonly ready: RegExpExecArray;
  /** What it wrote to stderr so far, for failure messages. */
  stderr(): string;
}

const running = new Set<ChildProcess>();

/**
 * Starts `script` under tsx (workspace packages from source) and resolves once its stdout
 * matches `ready`; rejects when it exits first or stays silent for 20 s.
 */
export async function startChildScript(
  script: string,
  args: readonly string[],
  ready: RegExp,
): Promise<ChildScript> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=@asynq-ts/source", script, ...args],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  running.add(child);
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  let output = "";
  let timer: NodeJS.Timeout | undefined;
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const found = ready.exec(output);
      if (found !== null) resolve(found);
    });
    void exited.then((code) => reject(new Error(`${script} exited (${code}) early: ${errors}`)));
    timer = setTimeout(
      () => reject(new Error(`${script} not ready after ${READY_TIMEOUT_MS} ms: ${errors}`)),
      READY_TIMEOUT_MS,
    );
  }).finally(() => clearTimeout(timer));
  if (child.pid === undefined) throw new Error(`${script} has no pid`);
  return { child, pid: child.pid, exited, ready: match, stderr: () => errors };
}

/** SIGKILLs every child script still running (for afterAll). */
export function killChildScripts(): void {
  for (const child of running) child.kill("SIGKILL");
}
