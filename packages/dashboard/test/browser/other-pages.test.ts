import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, startBrowserSession } from "./harness.js";

const EVENTUALLY = { timeout: 10_000, interval: 100 };

describe("dashboard UI: servers, schedulers, Redis, settings, live updates", () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await startBrowserSession("other-pages", { pollIntervalSeconds: 1 });
  });

  afterEach(async ({ task }) => {
    await s?.shotIfFailed(task);
  });

  afterAll(async () => {
    await s?.close();
  });

  it("lists servers with their queues and expands a server's active workers", async () => {
    const { page, env } = s;
    const { server } = env.seeded;
    await page.goto(s.at("/servers"));
    const row = page.getByTestId(`server-row-${server.id}`);
    await row.waitFor();
    expect(await row.locator("th").textContent()).toBe(`${server.host}:${server.pid}`);
    expect(await row.locator(".chip").allTextContents()).toEqual([
      "critical 6",
      "default 3",
      "low 1",
    ]);
    await page.getByRole("button", { name: `Workers of ${server.host}:${server.pid}` }).click();
    const workers = page.getByTestId("worker-table");
    await workers.waitFor();
    expect(await workers.getByRole("link").allTextContents()).toEqual([server.workerTaskId]);
    await s.shot("servers");
  });

  it("lists scheduler entries and shows an entry's enqueue history", async () => {
    const { page, env } = s;
    const { id, eventTaskIds } = env.seeded.schedulerEntry;
    await page.goto(s.at("/schedulers"));
    const row = page.getByTestId(`entry-row-${id}`);
    await row.waitFor();
    expect(await row.textContent()).toContain("@every 30s");
    await page.getByRole("button", { name: `Enqueue history of ${id}` }).click();
    const history = page.getByTestId(`history-${id}`);
    await history.getByRole("link").first().waitFor();
    expect(await history.getByRole("link").allTextContents()).toEqual([...eventTaskIds]);
    await s.shot("schedulers");
  });

  it("shows Redis key figures and the raw INFO", async () => {
    const { page } = s;
    await page.goto(s.at("/redis"));
    const raw = page.getByTestId("raw-info");
    await raw.waitFor();
    const version = /redis_version:(\S+)/.exec((await raw.textContent()) ?? "")?.[1];
    expect(version).toBeDefined();
    const figures = page.getByTestId("redis-figures");
    expect(await figures.locator("dd").first().textContent()).toBe(version);
    await s.shot("redis");
  });

  it("keeps the theme and polling interval in localStorage across reloads", async () => {
    const { page } = s;
    await page.goto(s.at("/settings"));
    await page.getByRole("radio", { name: "Dark" }).check();
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    const slider = page.getByRole("slider", { name: "Polling interval in seconds" });
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByTestId("poll-value").textContent()).toBe("2s");
    await s.shot("settings-dark");

    await page.reload();
    await page.getByRole("radio", { name: "Dark" }).waitFor();
    expect(await page.getByRole("radio", { name: "Dark" }).isChecked()).toBe(true);
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    expect(await page.getByTestId("poll-value").textContent()).toBe("2s");

    await page.getByRole("radio", { name: "Light" }).check();
    await page.getByRole("button", { name: "Use the default" }).click();
    expect(await page.getByTestId("poll-value").textContent()).toBe("1s");
    expect(await page.locator("html").getAttribute("data-theme")).toBe("light");
  });

  it("picks up changes made elsewhere by polling, without a reload", async () => {
    const { page, env } = s;
    await page.goto(s.at("/"));
    const state = page.getByTestId("queue-row-low").getByTestId("queue-state");
    await state.waitFor();
    expect(await state.textContent()).toBe("run");
    await env.inspector.pauseQueue("low");
    await expect.poll(() => state.textContent(), EVENTUALLY).toBe("paused");
    await s.shot("live-update");
    expect(s.errors).toEqual([]);
  });
});
