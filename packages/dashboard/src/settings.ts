import { type Inspector, InvalidArgumentError } from "@asynq-ts/core";
import { defaultBytesFormatter } from "./api/format-bytes.js";
import type {
  BytesFormatter,
  DashboardAuth,
  DashboardOptions,
  RedisInfoSource,
} from "./options.js";
import { defaultAssetsDir } from "./spa/package-root.js";

/** Dashboard options with every default applied and every value checked. */
export interface DashboardSettings {
  readonly inspector: Inspector;
  readonly basePath: string;
  readonly readOnly: boolean;
  readonly auth: DashboardAuth | undefined;
  readonly redisInfo: RedisInfoSource | undefined;
  readonly payloadFormatter: BytesFormatter;
  readonly resultFormatter: BytesFormatter;
  readonly maxPayloadLength: number;
  readonly maxResultLength: number;
  readonly maxDetailLength: number;
  readonly pollIntervalSeconds: number;
  readonly assetsDir: string;
}

/**
 * "" for the root, else "/a/b": one leading slash, no trailing slash. Refuses characters that
 * would need escaping in a URL path or in the injected `<base href>`.
 */
export function normaliseBasePath(value: string | undefined): string {
  if (value === undefined) return "";
  if (typeof value !== "string") throw new InvalidArgumentError("basePath", "must be a string");
  if (!/^[A-Za-z0-9\-._~/]*$/.test(value)) {
    throw new InvalidArgumentError(
      "basePath",
      "may hold only letters, digits, '-', '.', '_', '~' and '/'",
    );
  }
  const trimmed = value.replace(/\/+$/, "");
  if (trimmed === "") return "";
  if (!trimmed.startsWith("/")) throw new InvalidArgumentError("basePath", "must start with '/'");
  if (trimmed.includes("//")) throw new InvalidArgumentError("basePath", "must not contain '//'");
  return trimmed;
}

function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(field, "must be a positive integer");
  }
  return value;
}

function formatter(field: string, value: BytesFormatter | undefined): BytesFormatter {
  if (value === undefined) return defaultBytesFormatter;
  if (typeof value !== "function") throw new InvalidArgumentError(field, "must be a function");
  return value;
}

function checkAuth(auth: DashboardAuth | undefined): DashboardAuth | undefined {
  if (auth === undefined || typeof auth === "function") return auth;
  if ("basic" in auth) {
    const { username, password } = auth.basic;
    if (typeof username !== "string" || username === "" || username.includes(":")) {
      throw new InvalidArgumentError(
        "auth.basic.username",
        "must be a non-empty string without ':'",
      );
    }
    if (typeof password !== "string" || password === "") {
      throw new InvalidArgumentError("auth.basic.password", "must be a non-empty string");
    }
    return auth;
  }
  if ("bearer" in auth) {
    if (typeof auth.bearer !== "string" || !/^[A-Za-z0-9\-._~+/]+=*$/.test(auth.bearer)) {
      throw new InvalidArgumentError("auth.bearer", "must be a non-empty token68 string");
    }
    return auth;
  }
  throw new InvalidArgumentError("auth", "must be { basic }, { bearer } or a function");
}

/** Applies defaults and validates; throws `InvalidArgumentError` on a bad option. */
export function resolveSettings(options: DashboardOptions): DashboardSettings {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("options", "must be an object");
  }
  const { inspector } = options;
  if (typeof inspector !== "object" || inspector === null) {
    throw new InvalidArgumentError("inspector", "is required");
  }
  const payloadFormatter = formatter("payloadFormatter", options.payloadFormatter);
  return {
    inspector,
    basePath: normaliseBasePath(options.basePath),
    readOnly: options.readOnly === true,
    auth: checkAuth(options.auth),
    redisInfo: options.redisInfo,
    payloadFormatter,
    resultFormatter: formatter("resultFormatter", options.resultFormatter),
    maxPayloadLength: positiveInteger("maxPayloadLength", options.maxPayloadLength, 200),
    maxResultLength: positiveInteger("maxResultLength", options.maxResultLength, 200),
    maxDetailLength: positiveInteger("maxDetailLength", options.maxDetailLength, 65_536),
    pollIntervalSeconds: positiveInteger("pollIntervalSeconds", options.pollIntervalSeconds, 8),
    assetsDir: options.assetsDir ?? defaultAssetsDir(),
  };
}
