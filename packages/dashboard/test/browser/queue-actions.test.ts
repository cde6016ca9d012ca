import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ErrorResponse } from "../../src/api/wire-types.js";
import { request } from "../support/http.js";
import { type BrowserSession, startBrowserSession } from "./harness.js";

const EVENTUALLY = { timeout: 10_000, interval: 100 };

describe("dashboard UI: overview and task actions", () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await startBrowserSession("queue-actions");
  });

  afterEach(async ({ task }) => {
    await s?.shotIfFailed(task);
  });

  afterAll(async () => {
    await s?.close();
  });

  it("shows every seeded queue with its size on the overview", async () => {
    const { page, env } = s;
    await page.goto(s.at("/"));
    await page.getByTestId("queues-table").waitFor();
    for (const queue of env.seeded.queues) {
      const info = await env.inspector.queueInfo(queue);
      const row = page.getByTestId(`queue-row-${queue}`);
      expect(await row.getByRole("link", { name: queue }).count()).toBe(1);
      expect(await row.getByTestId("queue-size").textContent()).toBe(String(info.size));
      expect(await row.getByTestId("queue-state").textContent()).toBe("run");
    }
    expect(env.seeded.queues).toEqual(["critical", "default", "low"]);
    await page.locator(".recharts-bar-rectangle").first().waitFor();
    expect(
      await page.getByTestId("queue-size-chart").locator(".recharts-bar-rectangle").count(),
    ).toBeGreaterThan(0);
    await s.shot("overview");
    expect(s.errors).toEqual([]);
  });

  it("pauses and resumes a queue in Redis from the overview", async () => {
    const { page, env } = s;
    await page.goto(s.at("/"));
    const row = page.getByTestId("queue-row-default");
    await page.getByRole("button", { name: "Pause queue default" }).click();
    await expect
      .poll(() => row.getByTestId("queue-state").textContent(), EVENTUALLY)
      .toBe("paused");
    expect((await env.inspector.queueInfo("default")).paused).toBe(true);
    await s.shot("paused");

    await page.getByRole("button", { name: "Resume queue default" }).click();
    await expect.poll(() => row.getByTestId("queue-state").textContent(), EVENTUALLY).toBe("run");
    expect((await env.inspector.queueInfo("default")).paused).toBe(false);
  });

  it("archives a retry task from the queue page", async () => {
    const { page, env } = s;
    const [taskId] = env.seeded.default.retry;
    await page.goto(s.at("/queues/default?status=retry"));
    await page.getByTestId(`task-row-${taskId}`).waitFor();
    await s.shot("retry-tab");
    await page.getByRole("button", { name: `Archive task ${taskId}` }).click();
    await page.getByTestId(`task-row-${taskId}`).waitFor({ state: "detached" });
    expect((await env.inspector.taskInfo("default", taskId!)).state).toBe("archived");
    expect(await page.getByTestId("notice-success").first().textContent()).toContain(taskId);
    await s.shot("archived-retry-task");

    await page.getByTestId("tab-archived").click();
    await page.getByTestId(`task-row-${taskId}`).waitFor();
  });

  it("runs the selected archived tasks", async () => {
    const { page, env } = s;
    const ids = env.seeded.critical.archived;
    await page.goto(s.at("/queues/critical?status=archived"));
    for (const id of ids) await page.getByRole("checkbox", { name: `Select task ${id}` }).check();
    expect(await page.getByTestId("selected-count").textContent()).toBe(`${ids.length} selected`);
    await s.shot("selected");
    await page.getByTestId("batch-run").click();
    await page.getByTestId("no-tasks").waitFor();
    for (const id of ids)
      expect((await env.inspector.taskInfo("critical", id)).state).toBe("pending");
  });

  it("deletes all scheduled tasks of a queue after confirmation", async () => {
    const { page, env } = s;
    await page.goto(s.at("/queues/critical?status=scheduled"));
    await page.getByTestId(`task-row-${env.seeded.critical.scheduled[0]}`).waitFor();
    await page.getByTestId("all-delete").click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await s.shot("confirm-delete-all");
    await dialog.getByRole("button", { name: "Delete all" }).click();
    await page.getByTestId("no-tasks").waitFor();
    expect((await env.inspector.queueInfo("critical")).scheduled).toBe(0);
    await expect
      .poll(() => page.getByTestId("tab-count-scheduled").textContent(), EVENTUALLY)
      .toBe("0");
  });

  it("lists aggregating tasks per group", async () => {
    const { page, env } = s;
    const { digest, invoices } = env.seeded.critical.aggregating;
    await page.goto(s.at("/queues/critical?status=aggregating"));
    await page.getByTestId(`task-row-${digest![0]}`).waitFor();
    await page.getByTestId("group-select").selectOption("invoices");
    await page.getByTestId(`task-row-${invoices![0]}`).waitFor();
    expect(await page.getByTestId(`task-row-${digest![0]}`).count()).toBe(0);
    await s.shot("aggregating-invoices");
  });

  it("filters a tab by type and payload through the search API", async () => {
    const { page } = s;
    await page.goto(s.at("/queues/default?status=pending"));
    await page.getByTestId("task-row-d-pending-1").waitFor();
    await page.getByTestId("filter-payload").fill("d-pending-2");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByTestId("task-row-d-pending-1").waitFor({ state: "detached" });
    await page.getByTestId("task-row-d-pending-2").waitFor();
    const rows = page.getByTestId("task-table").locator("tbody tr");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute("data-testid")).toBe("task-row-d-pending-2");
    await s.shot("filtered");
  });

  it("shows the server's message when deleting a queue fails, and keeps the queue", async () => {
    const { page, env } = s;
    await page.goto(s.at("/"));
    await page.getByRole("button", { name: "Delete queue low" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete queue" }).click();
    const alert = page.getByTestId("notice-error");
    await alert.waitFor();
    // The same request straight to the API: the UI shows its message as is.
    const direct = await request<ErrorResponse>(s.at("/api/queues/low"), { method: "DELETE" });
    expect(direct.status).toBe(409);
    expect(await alert.locator("span").textContent()).toBe(direct.body.error.message);
    await s.shot("delete-queue-refused");
    expect(await env.inspector.queues()).toContain("low");
    expect(s.errors).toEqual([]);
  });
});
