import type { Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, startBrowserSession } from "./harness.js";

const EVENTUALLY = { timeout: 10_000, interval: 100 };

describe("dashboard UI mounted under /monitoring", () => {
  let s: BrowserSession;
  const requests: string[] = [];

  beforeAll(async () => {
    s = await startBrowserSession("base-path", { basePath: "/monitoring" });
    s.page.on("request", (r: Request) => requests.push(new URL(r.url()).pathname));
  });

  afterEach(async ({ task }) => {
    await s?.shotIfFailed(task);
  });

  afterAll(async () => {
    await s?.close();
  });

  it("serves the overview and calls the API below the base path", async () => {
    const { page } = s;
    expect(new URL(s.env.url).pathname).toBe("/monitoring");
    await page.goto(s.at("/"));
    await page.getByTestId("queue-row-default").waitFor();
    await s.shot("overview");
    const api = requests.filter((path) => path.includes("/api/"));
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((path) => path.startsWith("/monitoring/api/"))).toBe(true);
    expect(requests.every((path) => path.startsWith("/monitoring/"))).toBe(true);
  });

  it("navigates to a queue, keeps the base path in the URL and acts through the API", async () => {
    const { page, env } = s;
    await page.goto(s.at("/"));
    await page.getByRole("link", { name: "critical", exact: true }).click();
    await page.getByTestId("queue-banner").waitFor();
    expect(new URL(page.url()).pathname).toBe("/monitoring/queues/critical");
    await page.getByRole("button", { name: "Pause queue critical" }).click();
    await expect
      .poll(
        () => page.getByTestId("queue-banner").getByTestId("queue-state").textContent(),
        EVENTUALLY,
      )
      .toBe("paused");
    expect((await env.inspector.queueInfo("critical")).paused).toBe(true);
    await s.shot("queue-paused");
  });

  it("opens deep links to task pages directly", async () => {
    const { page, env } = s;
    const [id] = env.seeded.default.retry;
    await page.goto(s.at(`/queues/default/tasks/${id}`));
    await page.getByTestId("task-details").waitFor();
    expect(await page.getByTestId("task-error").textContent()).toBe(env.seeded.retryError);
    await page.getByRole("link", { name: "Servers" }).click();
    await page.getByTestId(`server-row-${env.seeded.server.id}`).waitFor();
    expect(new URL(page.url()).pathname).toBe("/monitoring/servers");
    await s.shot("servers");
    expect(s.errors).toEqual([]);
  });
});
