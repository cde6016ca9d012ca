import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** Clock ticks per second of /proc times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Busy ticks of the whole machine (all CPUs) from /proc/stat. */
function machineBusyTicks(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
}

/** utime + stime of a process (all its threads), 0 when it is gone. */
function processTicks(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** CPU used during a run by processes other than ours, in cores (1 = one core busy). */
export interface LoadReading {
  readonly otherCores: number;
  readonly ownCores: number;
}

/** Measures machine load between `start()` and `stop()` for a fixed set of own processes. */
export class LoadMeter {
  readonly #pids: readonly number[];
  readonly #machine: number;
  readonly #own: number;
  readonly #started: number;

  private constructor(pids: readonly number[]) {
    this.#pids = pids;
    this.#machine = machineBusyTicks();
    this.#own = this.#ownTicks();
    this.#started = performance.now();
  }

  /** Starts measuring; `pids` are the processes of the benchmark itself. */
  static start(pids: readonly (number | undefined)[]): LoadMeter {
    return new LoadMeter(pids.filter((pid): pid is number => pid !== undefined));
  }

  /** Load since `start()`; call while the own processes are still alive. */
  read(): LoadReading {
    const seconds = (performance.now() - this.#started) / 1000;
    const machine = machineBusyTicks() - this.#machine;
    const own = this.#ownTicks() - this.#own;
    const perCore = Math.max(seconds * CLOCK_TICKS, 1e-9);
    return { otherCores: Math.max(0, machine - own) / perCore, ownCores: own / perCore };
  }

  #ownTicks(): number {
    let sum = 0;
    for (const pid of this.#pids) sum += processTicks(pid);
    return sum;
  }
}

/**
 * Waits until other processes use at most `maxOtherCores` over a one-second sample, or until
 * `timeoutMs` passed; resolves with the last sample's reading.
 */
export async function waitForCalm(
  maxOtherCores: number,
  pids: readonly (number | undefined)[],
  timeoutMs: number,
): Promise<LoadReading> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const meter = LoadMeter.start(pids);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const reading = meter.read();
    if (reading.otherCores <= maxOtherCores || performance.now() >= deadline) return reading;
  }
}
