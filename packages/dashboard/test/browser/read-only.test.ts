import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, startBrowserSession } from "./harness.js";

describe("dashboard UI in read-only mode", () => {
  let s: BrowserSession;

  beforeAll(async () => {
    s = await startBrowserSession("read-only", { readOnly: true });
  });

  afterEach(async ({ task }) => {
    await s?.shotIfFailed(task);
  });

  afterAll(async () => {
    await s?.close();
  });

  it("shows the queues without pause or delete buttons", async () => {
    const { page } = s;
    await page.goto(s.at("/"));
    await page.getByTestId("queue-row-default").waitFor();
    expect(await page.getByTestId("read-only-badge").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: /^(Pause|Resume|Delete) queue/ }).count()).toBe(
      0,
    );
    expect(await page.getByRole("columnheader", { name: "Actions" }).count()).toBe(0);
    await s.shot("overview");
  });

  it("lists tasks without selection, row actions or bulk actions", async () => {
    const { page, env } = s;
    const [retryId] = env.seeded.default.retry;
    await page.goto(s.at("/queues/default?status=retry"));
    await page.getByTestId(`task-row-${retryId}`).waitFor();
    expect(await page.getByRole("checkbox").count()).toBe(0);
    expect(await page.getByRole("button", { name: /^(Run|Archive|Delete|Cancel)\b/ }).count()).toBe(
      0,
    );
    expect(await page.getByTestId("bulk-actions").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Pause queue default" }).count()).toBe(0);
    await s.shot("retry-tab");

    for (const state of ["active", "pending", "archived", "completed"]) {
      await page.getByTestId(`tab-${state}`).click();
      await page.getByTestId(`panel-${state}`).locator("tbody tr").first().waitFor();
      expect(
        await page.getByRole("button", { name: /^(Run|Archive|Delete|Cancel)\b/ }).count(),
      ).toBe(0);
    }
    expect(s.errors).toEqual([]);
  });
});
