import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { XSS_PAYLOAD } from "../support/seed.js";
import { type BrowserSession, startBrowserSession } from "./harness.js";

describe("dashboard UI: task pages", () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await startBrowserSession("task-pages");
  });

  afterEach(async ({ task }) => {
    await s?.shotIfFailed(task);
  });

  afterAll(async () => {
    await s?.close();
  });

  it("shows an HTML payload as text in the list and on the task page, never as markup", async () => {
    const { page, env } = s;
    const id = env.seeded.default.xss;
    await page.goto(s.at("/queues/default?status=pending"));
    const cell = page.getByTestId(`task-row-${id}`).getByTestId("task-payload-cell");
    await cell.waitFor();
    expect(await cell.textContent()).toBe(XSS_PAYLOAD);
    await s.shot("xss-list");

    await page.getByRole("link", { name: id, exact: true }).click();
    const payload = page.getByTestId("task-payload");
    await payload.waitFor();
    expect(await payload.textContent()).toBe(XSS_PAYLOAD);
    expect(await page.getByText(XSS_PAYLOAD, { exact: true }).isVisible()).toBe(true);
    expect(await page.evaluate("typeof window.__xss")).toBe("undefined");
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("main script").count()).toBe(0);
    await s.shot("xss-detail");
    expect(s.errors).toEqual([]);
  });

  it("shows an archived task's payload, error and failure time", async () => {
    const { page, env } = s;
    const [id] = env.seeded.default.archived;
    await page.goto(s.at("/queues/default?status=archived"));
    await page.getByRole("link", { name: id!, exact: true }).click();
    await page.getByTestId("task-details").waitFor();
    expect(page.url()).toBe(s.at(`/queues/default/tasks/${id}`));
    const payload = JSON.parse((await page.getByTestId("task-payload").textContent()) ?? "");
    expect(payload).toEqual({ to: `${id}@example.com` });
    expect(await page.getByTestId("task-error").textContent()).toBe(env.seeded.archivedError);
    expect(await page.getByTestId("task-field-state").textContent()).toBe("archived");
    expect(await page.getByTestId("task-field-type").textContent()).toBe("email:send");
    expect(await page.getByTestId("task-field-last-failed-at").textContent()).not.toBe("—");
    await s.shot("archived-task");
  });

  it("shows a completed task's result pretty-printed and its retention", async () => {
    const { page, env } = s;
    const [id] = env.seeded.default.completed;
    await page.goto(s.at(`/queues/default/tasks/${id}`));
    const result = page.getByTestId("task-result");
    await result.waitFor();
    const text = (await result.textContent()) ?? "";
    expect(text).toBe(JSON.stringify(JSON.parse(env.seeded.completedResult), null, 2));
    expect(await page.getByTestId("task-field-retained-for").textContent()).toMatch(/^\dh/);
    expect(await page.getByTestId("task-field-completed-at").textContent()).not.toBe("—");
    await s.shot("completed-task");
  });

  it("shows the server's error for a task that does not exist", async () => {
    const { page } = s;
    await page.goto(s.at("/queues/default/tasks/no-such-task"));
    const error = page.getByTestId("query-error");
    await error.waitFor();
    expect(await error.textContent()).toContain("no-such-task");
    await s.shot("missing-task");
  });

  it("finds a task by ID from the header search box", async () => {
    const { page, env } = s;
    const [id] = env.seeded.critical.retry;
    await page.goto(s.at("/servers"));
    await page.getByRole("searchbox", { name: "Find task by ID" }).fill(id!);
    await page.getByRole("button", { name: "Find" }).click();
    await page.getByTestId("task-details").waitFor();
    expect(page.url()).toBe(s.at(`/queues/critical/tasks/${id}`));
    expect(await page.getByTestId("task-error").textContent()).toBe(env.seeded.retryError);
    await s.shot("found-task");
  });
});
