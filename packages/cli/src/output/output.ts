import type { CliIo } from "../io.js";
import { type Colours, coloursFor } from "./colour.js";
import { jsonText } from "./json.js";
import { type Progress, startProgress } from "./progress.js";
import { type Cell, renderFields, renderTable } from "./table.js";

/** How a command prints: human text (tables, colour on a terminal) or JSON for scripts. */
export class Output {
  /** True with --json: print one JSON document and nothing else on stdout. */
  readonly json: boolean;
  /** Colours for stdout. */
  readonly c: Colours;
  /** Colours for stderr. */
  readonly ce: Colours;
  readonly #io: CliIo;

  constructor(io: CliIo, options: { json: boolean; colour: boolean }) {
    this.#io = io;
    this.json = options.json;
    this.c = coloursFor(io.stdout, io, options.colour);
    this.ce = coloursFor(io.stderr, io, options.colour);
  }

  /** A line of text on stdout. */
  line(text = ""): void {
    this.#io.stdout.write(`${text}\n`);
  }

  /** A section title. */
  heading(text: string): void {
    this.line(this.c.bold(this.c.cyan(text)));
  }

  /** An aligned table, or `empty` (dimmed) when there are no rows. */
  table(headers: readonly string[], rows: readonly Cell[][], empty?: string): void {
    if (rows.length === 0 && empty !== undefined) {
      this.line(this.c.dim(empty));
      return;
    }
    this.line(renderTable(headers, rows, this.c));
  }

  /** Aligned `label: value` lines. */
  fields(pairs: readonly (readonly [string, Cell])[]): void {
    this.line(renderFields(pairs, this.c));
  }

  /** The JSON document of a --json run. */
  emit(value: unknown): void {
    this.#io.stdout.write(jsonText(value));
  }

  /** A one-line error on stderr (the run goes on; the caller decides the exit status). */
  error(message: string): void {
    this.#io.stderr.write(`${this.ce.red("error:")} ${message}\n`);
  }

  /** A progress bar on stderr when it is a terminal. */
  progress(label: string, total: number): Progress {
    return startProgress(this.#io.stderr, label, total);
  }
}
