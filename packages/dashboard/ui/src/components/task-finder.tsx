import { useState } from "react";
import { useNavigate } from "react-router";
import type { ListQueuesResponse, TaskJson } from "../../../src/api/wire-types.js";
import { ApiCallError, apiGet, errorMessage, seg } from "../api/client.js";
import { useNotify } from "./notices.js";

/** Looks a task ID up in every queue; the first match wins (IDs are unique per queue only). */
async function findTask(taskId: string): Promise<TaskJson | undefined> {
  const { queues } = await apiGet<ListQueuesResponse>("/queues");
  for (const { queue } of queues) {
    try {
      return await apiGet<TaskJson>(`/queues/${seg(queue)}/tasks/${seg(taskId)}`);
    } catch (error) {
      if (!(error instanceof ApiCallError) || error.status !== 404) throw error;
    }
  }
  return undefined;
}

/** The header's search box: opens the task page of a task ID in whichever queue holds it. */
export function TaskFinder() {
  const [taskId, setTaskId] = useState("");
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const notify = useNotify();

  const submit = async () => {
    const id = taskId.trim();
    if (id === "") return;
    setBusy(true);
    try {
      const task = await findTask(id);
      if (task === undefined) notify("error", `No task with ID "${id}" in any queue`);
      else navigate(`/queues/${seg(task.queue)}/tasks/${seg(task.id)}`);
    } catch (error) {
      notify("error", errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <search className="task-finder">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <input
          type="search"
          aria-label="Find task by ID"
          placeholder="Find task by ID…"
          value={taskId}
          onChange={(event) => setTaskId(event.target.value)}
          data-testid="task-finder-input"
        />
        <button type="submit" className="button" disabled={busy || taskId.trim() === ""}>
          Find
        </button>
      </form>
    </search>
  );
}
