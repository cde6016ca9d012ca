import type { Redis } from "ioredis";

/** One key as Redis stores it; bytes as Buffers, zsets as member → score. */
export type DumpedValue =
  | { type: "string"; value: Buffer }
  | { type: "hash"; value: Record<string, Buffer> }
  | { type: "list"; value: string[] }
  | { type: "set"; value: string[] }
  | { type: "zset"; value: Record<string, number> };

/** Every key of the database with its type and contents. */
export async function dumpKeyspace(client: Redis): Promise<Record<string, DumpedValue>> {
  const keys = (await client.keys("*")).sort();
  const out: Record<string, DumpedValue> = {};
  for (const key of keys) {
    const type = await client.type(key);
    switch (type) {
      case "string":
        out[key] = { type, value: (await client.getBuffer(key))! };
        break;
      case "hash": {
        const flat = await client.hgetallBuffer(key);
        out[key] = { type, value: Object.fromEntries(Object.entries(flat)) };
        break;
      }
      case "list":
        out[key] = { type, value: await client.lrange(key, 0, -1) };
        break;
      case "set":
        out[key] = { type, value: (await client.smembers(key)).sort() };
        break;
      case "zset": {
        const flat = await client.zrange(key, 0, -1, "WITHSCORES");
        const value: Record<string, number> = {};
        for (let i = 0; i < flat.length; i += 2) value[flat[i]!] = Number(flat[i + 1]);
        out[key] = { type, value };
        break;
      }
      default:
        throw new Error(`unexpected type ${type} of ${key}`);
    }
  }
  return out;
}
