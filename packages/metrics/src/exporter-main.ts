// Entry point of the `asynq-metrics` command: parses the arguments, serves until SIGINT/SIGTERM.
import { EXPORTER_USAGE, parseExporterArgs, startExporter } from "./exporter.js";

let options: ReturnType<typeof parseExporterArgs>;
try {
  options = parseExporterArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n\n`);
  process.stderr.write(EXPORTER_USAGE);
  process.exit(2);
}
if (options === "help") {
  process.stdout.write(EXPORTER_USAGE);
  process.exit(0);
}
const exporter = await startExporter(options);
const where = `${options.host ?? "0.0.0.0"}:${exporter.port}${options.path ?? "/metrics"}`;
process.stdout.write(`asynq-metrics: serving http://${where} for ${redactedUri(options.uri)}\n`);
const stop = () => {
  exporter.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

/** The URL without its password, for the log line. */
function redactedUri(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.password !== "") url.password = "***";
    return url.toString();
  } catch {
    return uri;
  }
}
