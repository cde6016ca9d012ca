import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import {
  type DashboardEnv,
  type DashboardEnvOptions,
  startDashboardEnv,
} from "../support/dashboard-env.js";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const uiOut = join(packageDir, "dist", "ui");

/**
 * Builds the UI into dist/ui unless a build is already there. Test files run in parallel, so
 * each builds into its own temp directory and renames it into place: the rename is atomic, and
 * a file that loses the race just drops its copy.
 */
export function ensureUiBuilt(): void {
  if (existsSync(join(uiOut, "index.html"))) return;
  mkdirSync(join(packageDir, "dist"), { recursive: true });
  const tmp = mkdtempSync(join(packageDir, "dist", ".ui-build-"));
  try {
    const vite = join(packageDir, "..", "..", "node_modules", "vite", "bin", "vite.js");
    const built = spawnSync(
      process.execPath,
      [vite, "build", "--config", "ui/vite.config.ts", "--outDir", tmp, "--logLevel", "warn"],
      { cwd: packageDir, encoding: "utf8" },
    );
    if (built.status !== 0) throw new Error(`UI build failed:\n${built.stdout}\n${built.stderr}`);
    try {
      renameSync(tmp, uiOut);
    } catch (error) {
      if (!existsSync(join(uiOut, "index.html"))) throw error;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Starts headless Chromium the way this machine supports (tooling §9). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A fresh temp directory for one test file's screenshots. */
export function screenshotDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `asynq-dashboard-${name}-`));
}

/**
 * Saves a full-page screenshot as `<dir>/<nn>-<step>.png`; the steps are for people reading a
 * failed run, the tests assert on the DOM.
 */
export function shooter(dir: string): (page: Page, step: string) => Promise<void> {
  let n = 0;
  return async (page, step) => {
    n += 1;
    const path = join(dir, `${String(n).padStart(2, "0")}-${step}.png`);
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path, fullPage: true });
  };
}

/** Chromium logs every non-2xx fetch; 4xx answers are expected where a test provokes them. */
const CLIENT_ERROR_LOG = /^Failed to load resource: the server responded with a status of 4\d\d/;

/**
 * Collects uncaught page errors and console errors, so a test can assert the page ran cleanly
 * (a CSP violation or a React crash shows up here). Logged 4xx answers are left out.
 */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("crash", () => errors.push("crash: the page crashed"));
  page.on("console", (message) => {
    if (message.type() === "error" && !CLIENT_ERROR_LOG.test(message.text())) {
      errors.push(`console: ${message.text()}`);
    }
  });
  return errors;
}

/** A seeded dashboard and one browser page on it. */
export interface BrowserSession {
  readonly env: DashboardEnv;
  readonly browser: Browser;
  /** A 1280×800 page. */
  readonly page: Page;
  /** Errors the page reported so far (see {@link watchPageErrors}). */
  readonly errors: string[];
  /** Where {@link BrowserSession.shot} saves. */
  readonly screenshots: string;
  /** Saves a screenshot of the current page for this step. */
  shot(step: string): Promise<void>;
  /** In afterEach: a screenshot of a failed test's page, its path printed to stderr. */
  shotIfFailed(task: {
    readonly name: string;
    readonly result?: { readonly state: string };
  }): Promise<void>;
  /** `env.url` + path, e.g. `session.at("/servers")`. */
  at(path: string): string;
  /** Closes the browser and stops the env; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Builds the UI when needed, starts a seeded dashboard with `options` and a browser page.
 * Whatever started is stopped again if a later step fails.
 */
export async function startBrowserSession(
  name: string,
  options: DashboardEnvOptions = {},
): Promise<BrowserSession> {
  ensureUiBuilt();
  const env = await startDashboardEnv(options);
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Well below the test timeout, so a missing element fails with the locator in the message.
    page.setDefaultTimeout(10_000);
    const screenshots = screenshotDir(name);
    const shoot = shooter(screenshots);
    const opened = browser;
    let closing: Promise<void> | undefined;
    return {
      env,
      browser,
      page,
      errors: watchPageErrors(page),
      screenshots,
      shot: (step) => shoot(page, step),
      shotIfFailed: async (task) => {
        if (task.result?.state !== "fail") return;
        const path = join(screenshots, `FAILED-${task.name.replace(/[^\w-]+/g, "-")}.png`);
        console.error(`screenshot of the failed test: ${path} (page ${page.url()})`);
        await page.screenshot({ path, fullPage: true, timeout: 5000 });
      },
      at: (path) => `${env.url}${path}`,
      close: () => {
        closing ??= opened.close().finally(() => env.stop());
        return closing;
      },
    };
  } catch (error) {
    await browser?.close();
    await env.stop();
    throw error;
  }
}
