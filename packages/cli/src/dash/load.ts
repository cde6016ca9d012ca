import type { Inspector, QueueInfo, TaskInfo } from "@asynq-ts/core";
import { listsGroups, tabState, type View } from "./navigation.js";
import type { QueueContent } from "./views.js";

/** What a screen shows, read through the Inspector. */
export type ScreenData =
  | { readonly kind: "queues"; readonly queues: readonly QueueInfo[] }
  | { readonly kind: "queue"; readonly info: QueueInfo; readonly content: QueueContent }
  | { readonly kind: "task"; readonly task: TaskInfo };

/** Reads the data of `view` (a page of `pageSize` tasks on a queue screen). */
export async function loadScreen(
  inspector: Inspector,
  view: View,
  pageSize: number,
): Promise<ScreenData> {
  switch (view.kind) {
    case "queues": {
      const names = await inspector.queues();
      return {
        kind: "queues",
        queues: await Promise.all(names.map((q) => inspector.queueInfo(q))),
      };
    }
    case "queue": {
      const info = await inspector.queueInfo(view.queue);
      if (listsGroups(view)) {
        return {
          kind: "queue",
          info,
          content: { kind: "groups", groups: await inspector.groups(view.queue) },
        };
      }
      const tasks = await inspector.listTasks(view.queue, tabState(view), {
        page: view.page,
        pageSize,
        ...(view.group === null ? {} : { group: view.group }),
      });
      return { kind: "queue", info, content: { kind: "tasks", tasks } };
    }
    case "task":
      return { kind: "task", task: await inspector.taskInfo(view.queue, view.taskId) };
  }
}

/** A key naming what `view` loads: a new key reloads at once. */
export function screenKey(view: View, pageSize: number): string {
  switch (view.kind) {
    case "queues":
      return "queues";
    case "queue":
      return JSON.stringify([view.queue, view.tab, view.page, view.group, pageSize]);
    case "task":
      return JSON.stringify([view.queue, view.taskId]);
  }
}

/** The IDs of the rows a screen lists, which the cursor moves over. */
export function rowIds(data: ScreenData | undefined): string[] {
  if (data === undefined) return [];
  switch (data.kind) {
    case "queues":
      return data.queues.map((q) => q.queue);
    case "queue":
      return data.content.kind === "groups"
        ? data.content.groups.map((g) => g.group)
        : data.content.tasks.map((t) => t.id);
    case "task":
      return [];
  }
}
