import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A tiny stand-in for the UI build: index.html (with or without the base marker) and assets. */
export interface FakeUiBuild {
  /** The build directory (pass as `assetsDir`). */
  readonly dir: string;
  /** A file next to the build directory, which must never be served. */
  readonly secretFile: string;
  remove(): void;
}

/** The index.html of the fake build. */
export const FAKE_INDEX = (marker: boolean): string =>
  `<!doctype html><html><head>${marker ? "<!--asynq-dashboard-base-->" : ""}<title>fake ui</title></head><body><div id="root"></div><script type="module" src="assets/app-abc123.js"></script></body></html>`;

/** The script of the fake build. */
export const FAKE_SCRIPT = "console.log('fake ui');\n";

/** The content of the file next to the build. */
export const SECRET = "TOP SECRET, NOT PART OF THE BUILD";

/** Writes the fake build into `ui/` of a fresh temp directory, with a secret file beside it. */
export function writeFakeUiBuild(options: { marker?: boolean } = {}): FakeUiBuild {
  const root = mkdtempSync(join(tmpdir(), "asynq-dashboard-ui-"));
  const dir = join(root, "ui");
  mkdirSync(join(dir, "assets"), { recursive: true });
  const secretFile = join(root, "secret.txt");
  writeFileSync(secretFile, SECRET);
  writeFileSync(join(dir, "index.html"), FAKE_INDEX(options.marker ?? true));
  writeFileSync(join(dir, "assets", "app-abc123.js"), FAKE_SCRIPT);
  writeFileSync(join(dir, "assets", "style-abc123.css"), "body{color:black}\n");
  writeFileSync(join(dir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  return { dir, secretFile, remove: () => rmSync(root, { recursive: true, force: true }) };
}
