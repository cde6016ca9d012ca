import type { Command } from "commander";
import { Option } from "commander";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";
import { integerAtLeast, secondsAtLeast } from "../parse.js";
import { sessionOf } from "../session.js";

interface WebOptions {
  readonly port: number;
  readonly host: string;
  readonly basePath: string;
  readonly readOnly?: boolean;
  readonly basicAuth?: string;
  readonly bearerToken?: string;
  readonly pollInterval: number;
  readonly maxPayloadLength: number;
  readonly maxResultLength: number;
}

/**
 * `asynq web`: the web dashboard (asynqmon's pages) over the connected Redis, served until
 * SIGINT or SIGTERM. Credentials for the dashboard come from flags or ASYNQ_WEB_* variables so
 * they need not appear in the process list.
 */
export function registerWebCommand(program: Command, io: CliIo): void {
  program
    .command("web")
    .description("serve the web dashboard (queues, tasks, servers, schedulers, Redis)")
    .option("--port <port>", "port to listen on (0 = any free port)", integerAtLeast(0), 8080)
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--base-path <path>", "serve under this path, e.g. /monitoring", "")
    .option("--read-only", "refuse every change (pause, delete, run, archive, cancel)")
    .addOption(
      new Option("--basic-auth <user:password>", "require HTTP basic auth").env(
        "ASYNQ_WEB_BASIC_AUTH",
      ),
    )
    .addOption(
      new Option("--bearer-token <token>", "require this bearer token").env(
        "ASYNQ_WEB_BEARER_TOKEN",
      ),
    )
    .option("--poll-interval <seconds>", "UI refresh interval", secondsAtLeast(1), 8_000)
    .option(
      "--max-payload-length <chars>",
      "cut payloads in task lists to this many characters",
      integerAtLeast(1),
      200,
    )
    .option(
      "--max-result-length <chars>",
      "cut results in task lists to this many characters",
      integerAtLeast(1),
      200,
    )
    .action(async (options: WebOptions, command: Command) => {
      const session = sessionOf(command, io);
      const auth = authOf(options, io.env);
      // The dashboard (HTTP server, UI assets) loads only for this command.
      const { serveDashboard, redisInfoSourceFromIoredis } = await import("@asynq-ts/dashboard");
      await session.withBackend(
        async (backend) => {
          const served = await serveDashboard({
            inspector: backend.inspector,
            redisInfo: redisInfoSourceFromIoredis(backend.redis),
            port: options.port,
            host: options.host,
            basePath: options.basePath,
            readOnly: options.readOnly === true,
            pollIntervalSeconds: options.pollInterval / 1000,
            maxPayloadLength: options.maxPayloadLength,
            maxResultLength: options.maxResultLength,
            ...(auth === undefined ? {} : { auth }),
          });
          io.stdout.write(
            `asynq web: serving ${served.url} for ${backend.label}${options.readOnly === true ? " (read-only)" : ""}\n`,
          );
          await untilStopSignal();
          await served.close();
        },
        { reconnect: true },
      );
    });
}

type WebAuth =
  | { readonly basic: { readonly username: string; readonly password: string } }
  | { readonly bearer: string };

function authOf(options: WebOptions, env: CliIo["env"]): WebAuth | undefined {
  // commander's .env() reads process.env; the CLI's own env (tests, embedding) comes first.
  const basic = env.ASYNQ_WEB_BASIC_AUTH ?? options.basicAuth;
  const bearer = env.ASYNQ_WEB_BEARER_TOKEN ?? options.bearerToken;
  if (basic !== undefined && bearer !== undefined) {
    throw new CliError("give --basic-auth or --bearer-token, not both", 2);
  }
  if (bearer !== undefined) {
    if (bearer === "") throw new CliError("--bearer-token must not be empty", 2);
    return { bearer };
  }
  if (basic === undefined) return undefined;
  const at = basic.indexOf(":");
  if (at <= 0 || at === basic.length - 1) {
    throw new CliError('--basic-auth must be "user:password"', 2);
  }
  return { basic: { username: basic.slice(0, at), password: basic.slice(at + 1) } };
}

function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
