// CRC-8 (poly x^8+x^2+x+1 = 0x07) protects each frame header; CRC-16 (poly x^16+x^15+x^2+1 =
// 0x8005) protects the whole frame. Both start at 0 and are MSB-first, as the FLAC format defines.

const CRC8_TABLE = buildTable(8, 0x07);
const CRC16_TABLE = buildTable(16, 0x8005);
// CRC-16 two bytes at a time: for a 16-bit CRC, feeding a 16-bit word w from state c gives the
// state of feeding (c ^ w) from zero, so one 65536-entry lookup (128 KB) replaces two.
const CRC16_WORD_TABLE = (() => {
  const table = new Uint16Array(65536);
  for (let word = 0; word < 65536; word++) {
    const high = CRC16_TABLE[word >>> 8];
    table[word] = ((high << 8) & 0xffff) ^ CRC16_TABLE[(high >>> 8) ^ (word & 0xff)];
  }
  return table;
})();

function buildTable(width: number, poly: number): Uint16Array {
  const top = 1 << (width - 1);
  const mask = (1 << width) - 1;
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << (width - 8);
    for (let bit = 0; bit < 8; bit++) crc = crc & top ? ((crc << 1) ^ poly) & mask : (crc << 1) & mask;
    table[byte] = crc;
  }
  return table;
}

/** CRC-8 of `bytes[start, end)`. */
export function crc8(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = CRC8_TABLE[crc ^ bytes[i]];
  return crc;
}

/** CRC-16 of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  let i = start;
  for (; i + 1 < end; i += 2) crc = CRC16_WORD_TABLE[crc ^ ((bytes[i] << 8) | bytes[i + 1])];
  if (i < end) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[(crc >>> 8) ^ bytes[i]];
  return crc;
}
