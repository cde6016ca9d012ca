import { ApiError } from "../api/api-error.js";

/** The largest request body the API reads. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** GET and HEAD change nothing; every other method is a mutation. */
export function isMutation(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

// Content types a cross-site HTML form (or a no-preflight fetch) can send.
const FORM_TYPES = new Set([
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "text/plain",
]);

function hostsOf(request: Request): Set<string> {
  const hosts = new Set<string>();
  const host = request.headers.get("host");
  hosts.add((host ?? new URL(request.url).host).toLowerCase());
  // A browser cannot set X-Forwarded-Host on a cross-site request without a preflight, which
  // the dashboard never grants, so trusting it here does not reopen the hole.
  const forwarded = request.headers.get("x-forwarded-host");
  if (forwarded !== null) {
    for (const h of forwarded.split(",")) hosts.add(h.trim().toLowerCase());
  }
  return hosts;
}

/**
 * Refuses a mutation a browser sent on behalf of another site: 403 `CROSS_SITE_REQUEST` when
 * `Sec-Fetch-Site` is present and not same-origin/none, or when `Origin` is present and its
 * host is not this request's host.
 */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    throw new ApiError(
      403,
      "CROSS_SITE_REQUEST",
      `cross-site request refused (Sec-Fetch-Site: ${site})`,
    );
  }
  const origin = request.headers.get("origin");
  if (origin === null) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    throw new ApiError(403, "CROSS_SITE_REQUEST", "cross-site request refused (opaque Origin)");
  }
  if (!hostsOf(request).has(originHost)) {
    throw new ApiError(
      403,
      "CROSS_SITE_REQUEST",
      "cross-site request refused (Origin does not match Host)",
    );
  }
}

/** Refuses form content types on a mutation: 415 `UNSUPPORTED_MEDIA_TYPE`. */
export function assertNotFormBody(request: Request): void {
  const type = request.headers.get("content-type");
  if (type === null) return;
  const media = type.split(";")[0]!.trim().toLowerCase();
  if (FORM_TYPES.has(media)) {
    throw new ApiError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `${media} is not accepted; send application/json`,
    );
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "PAYLOAD_TOO_LARGE", `request bodies are limited to ${maxBytes} bytes`);
}

/** Refuses a body whose declared Content-Length exceeds `maxBytes` before reading any of it. */
export function assertDeclaredSizeWithin(request: Request, maxBytes: number): void {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
}

const decoder = new TextDecoder();

/**
 * The body as UTF-8 text, read chunk by chunk so a chunked upload is cut off (413
 * `PAYLOAD_TOO_LARGE`) as soon as it passes `maxBytes` rather than buffered whole.
 */
export async function readBodyText(
  request: Request,
  maxBytes: number = MAX_BODY_BYTES,
): Promise<string> {
  assertDeclaredSizeWithin(request, maxBytes);
  const body = request.body;
  if (body === null) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}
