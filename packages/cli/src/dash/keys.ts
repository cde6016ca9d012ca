import type { Key } from "ink";
import type { NavAction, Navigation } from "./navigation.js";

/** What a key press means: a move, a refresh, quitting, or nothing. */
export type KeyCommand = NavAction | "refresh" | "quit" | null;

/**
 * Vim keys and arrows, as Go asynq's dash: j/k ↑/↓ move, h/l ←/→ (and Tab) switch tabs,
 * Enter opens, Esc goes back, q goes back or quits on the queues table, n/p page, ? help,
 * r or Ctrl-L refresh. Ctrl-C quits anywhere (ink handles it).
 */
export function keyCommand(input: string, key: Key, nav: Navigation): KeyCommand {
  if (key.ctrl && input === "l") return "refresh";
  if (key.ctrl) return null;
  if (key.upArrow || input === "k") return "up";
  if (key.downArrow || input === "j") return "down";
  if (key.leftArrow || input === "h" || (key.tab && key.shift)) return "left";
  if (key.rightArrow || input === "l" || key.tab) return "right";
  if (key.return) return "open";
  if (key.escape) return "back";
  if (key.pageDown || input === "n") return "nextPage";
  if (key.pageUp || input === "p") return "prevPage";
  if (input === "?") return "toggleHelp";
  if (input === "r") return "refresh";
  if (input === "q") return nav.help || nav.stack.length > 1 ? "back" : "quit";
  return null;
}

/** A key event with no key flag set (a plain character). */
export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** One key press. */
export interface KeyPress {
  readonly input: string;
  readonly key: Key;
}

/**
 * The presses in one input event. ink hands over keys that arrive together (fast typing,
 * `tmux send-keys j Enter`) as one string; each character is a press of its own.
 */
export function splitPresses(input: string, key: Key): KeyPress[] {
  if ([...input].length <= 1) return [{ input, key }];
  return [...input].map((char) => {
    if (char === "\r" || char === "\n") return { input: "", key: { ...NO_KEY, return: true } };
    if (char === "\t") return { input: "", key: { ...NO_KEY, tab: true } };
    return { input: char, key: NO_KEY };
  });
}
