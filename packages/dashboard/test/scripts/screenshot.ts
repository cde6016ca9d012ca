/**
 * Saves docs/dashboard-overview.png: the queues overview over a seeded Redis at 1280×800.
 * Run from the repository root:
 *   npx tsx --conditions=@asynq-ts/source packages/dashboard/test/scripts/screenshot.ts [output.png]
 * Builds the UI first when packages/dashboard/dist/ui is missing.
 */
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureUiBuilt, launchBrowser } from "../browser/harness.js";
import { startDashboardEnv } from "../support/dashboard-env.js";

const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));
const output = resolve(process.argv[2] ?? join(repoRoot, "docs", "dashboard-overview.png"));

ensureUiBuilt();
const env = await startDashboardEnv();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`${env.url}/`);
  await page.getByTestId("queues-table").waitFor();
  await page.locator(".recharts-bar-rectangle").first().waitFor();
  mkdirSync(dirname(output), { recursive: true });
  await page.screenshot({ path: output });
  console.log(`saved ${output}`);
} finally {
  await browser.close();
  await env.stop();
}
