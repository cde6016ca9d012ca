import type { TaskState } from "@asynq-ts/core";

/** The dashboard's state tabs, in Go asynq's order. */
export const TABS: readonly TaskState[] = [
  "active",
  "pending",
  "aggregating",
  "scheduled",
  "retry",
  "archived",
  "completed",
];

/** The queues table. */
export interface QueuesView {
  readonly kind: "queues";
  readonly cursor: number;
}

/** One queue: a tab per state with a page of its tasks (aggregating: its groups, then a group's tasks). */
export interface QueueView {
  readonly kind: "queue";
  readonly queue: string;
  readonly tab: number;
  readonly cursor: number;
  readonly page: number;
  /** The open group of the aggregating tab; null lists the groups. */
  readonly group: string | null;
}

/** One task's fields. */
export interface TaskView {
  readonly kind: "task";
  readonly queue: string;
  readonly taskId: string;
}

/** A screen of the dashboard. */
export type View = QueuesView | QueueView | TaskView;

/** Where the user is: a stack of screens (the last is shown) and the help overlay. */
export interface Navigation {
  readonly stack: readonly [QueuesView, ...View[]];
  readonly help: boolean;
}

/** A move the keyboard asks for. */
export type NavAction =
  | "up"
  | "down"
  | "left"
  | "right"
  | "open"
  | "back"
  | "nextPage"
  | "prevPage"
  | "toggleHelp";

/** The start: the queues table, first row selected. */
export const START: Navigation = { stack: [{ kind: "queues", cursor: 0 }], help: false };

/** The screen on top. */
export function currentView(nav: Navigation): View {
  return nav.stack[nav.stack.length - 1] ?? nav.stack[0];
}

/** The state the tab of a queue view shows. */
export function tabState(view: QueueView): TaskState {
  return TABS[view.tab] ?? "active";
}

/** True when the current screen lists groups rather than tasks. */
export function listsGroups(view: QueueView): boolean {
  return tabState(view) === "aggregating" && view.group === null;
}

/**
 * Applies a key's action. `rows` are the IDs of the rows on screen (queue names, task IDs or
 * group names), so moves stay within them and `open` knows what it opens.
 */
export function navigate(nav: Navigation, action: NavAction, rows: readonly string[]): Navigation {
  if (action === "toggleHelp") return { ...nav, help: !nav.help };
  if (nav.help) return action === "back" ? { ...nav, help: false } : nav;
  const view = currentView(nav);
  const replace = (next: View): Navigation => ({
    ...nav,
    stack: [...nav.stack.slice(0, -1), next] as unknown as Navigation["stack"],
  });
  const push = (next: View): Navigation => ({
    ...nav,
    stack: [...nav.stack, next] as unknown as Navigation["stack"],
  });
  const cursor = view.kind === "task" ? 0 : clamp(view.cursor, rows.length);
  const selected = rows[cursor];

  switch (action) {
    case "up":
    case "down": {
      if (view.kind === "task") return nav;
      const moved = clamp(cursor + (action === "down" ? 1 : -1), rows.length);
      return replace({ ...view, cursor: moved });
    }
    case "left":
    case "right": {
      if (view.kind !== "queue") return nav;
      const step = action === "right" ? 1 : TABS.length - 1;
      return replace({
        ...view,
        tab: (view.tab + step) % TABS.length,
        cursor: 0,
        page: 1,
        group: null,
      });
    }
    case "nextPage":
    case "prevPage": {
      if (view.kind !== "queue" || listsGroups(view)) return nav;
      const page = Math.max(1, view.page + (action === "nextPage" ? 1 : -1));
      return page === view.page ? nav : replace({ ...view, page, cursor: 0 });
    }
    case "open": {
      if (selected === undefined) return nav;
      if (view.kind === "queues") {
        return push({ kind: "queue", queue: selected, tab: 0, cursor: 0, page: 1, group: null });
      }
      if (view.kind === "queue") {
        if (listsGroups(view)) return replace({ ...view, group: selected, cursor: 0, page: 1 });
        return push({ kind: "task", queue: view.queue, taskId: selected });
      }
      return nav;
    }
    case "back": {
      if (view.kind === "queue" && view.group !== null) {
        return replace({ ...view, group: null, cursor: 0, page: 1 });
      }
      if (nav.stack.length === 1) return nav;
      return { ...nav, stack: nav.stack.slice(0, -1) as unknown as Navigation["stack"] };
    }
  }
}

/** A cursor kept inside `length` rows (0 when there are none). */
export function clamp(cursor: number, length: number): number {
  return Math.max(0, Math.min(cursor, length - 1));
}
