import { connect } from "node:net";

/** An error reply (`-ERR ...`) from Redis. */
export class RespErrorReply {
  constructor(readonly message: string) {}
}

/** A decoded RESP2 reply; bulk strings are decoded as UTF-8. */
export type RespReply = string | number | null | RespErrorReply | readonly RespReply[];

interface Parsed {
  readonly value: RespReply;
  readonly next: number;
}

/**
 * Sends commands on one short-lived loopback connection and resolves with one reply per
 * command. A tiny RESP client so the helpers need no Redis client library; rejects on
 * connection errors, early close or timeout.
 */
export function sendCommands(
  port: number,
  commands: readonly (readonly string[])[],
  timeoutMs = 2000,
): Promise<RespReply[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let buffer = Buffer.alloc(0);
    const replies: RespReply[] = [];
    const finish = (error: Error | undefined): void => {
      socket.destroy();
      if (error) reject(error);
      else resolve(replies);
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no reply from 127.0.0.1:${port}`)));
    socket.on("error", (error) => finish(error));
    socket.on("close", () => finish(new Error(`connection to 127.0.0.1:${port} closed early`)));
    socket.on("connect", () => socket.write(commands.map(encodeCommand).join("")));
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        for (let parsed = parseReply(buffer, 0); parsed; parsed = parseReply(buffer, 0)) {
          replies.push(parsed.value);
          buffer = buffer.subarray(parsed.next);
          if (replies.length === commands.length) return finish(undefined);
        }
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

function encodeCommand(args: readonly string[]): string {
  const parts = args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return `*${args.length}\r\n${parts.join("")}`;
}

/** Parses one reply at `offset`; undefined when the buffer does not hold a whole reply yet. */
function parseReply(buffer: Buffer, offset: number): Parsed | undefined {
  const lineEnd = buffer.indexOf("\r\n", offset);
  if (lineEnd < 0) return undefined;
  const kind = String.fromCharCode(buffer[offset] ?? 0);
  const line = buffer.toString("utf8", offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (kind) {
    case "+":
      return { value: line, next: afterLine };
    case "-":
      return { value: new RespErrorReply(line), next: afterLine };
    case ":":
      return { value: Number(line), next: afterLine };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, next: afterLine };
      if (buffer.length < afterLine + length + 2) return undefined;
      return {
        value: buffer.toString("utf8", afterLine, afterLine + length),
        next: afterLine + length + 2,
      };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, next: afterLine };
      const items: RespReply[] = [];
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, next);
        if (item === undefined) return undefined;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`unexpected RESP reply type ${JSON.stringify(kind)}`);
  }
}
