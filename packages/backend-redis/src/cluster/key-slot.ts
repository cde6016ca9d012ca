import { hashTagOf } from "../keys.js";

// CRC16-CCITT (XMODEM), the checksum Redis Cluster uses for key slots.
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc & 0xffff;
  }
  return table;
})();

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/** Number of slots of a Redis Cluster. */
export const CLUSTER_SLOTS = 16_384;

/** The Redis Cluster slot of a key (hash tag rules included). */
export function keySlot(key: string): number {
  return crc16(new TextEncoder().encode(hashTagOf(key))) % CLUSTER_SLOTS;
}
