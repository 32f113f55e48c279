// CRCs used by FLAC frames: CRC-8 (polynomial x^8+x^2+x+1 = 0x07) over the frame header and
// CRC-16 (polynomial x^16+x^15+x^2+1 = 0x8005) over the whole frame; both MSB-first, initial 0.

function makeTable(poly: number, bits: 8 | 16): Uint16Array {
  const table = new Uint16Array(256);
  const top = 1 << (bits - 1);
  const mask = (1 << bits) - 1;
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << (bits - 8);
    for (let bit = 0; bit < 8; bit++) crc = crc & top ? ((crc << 1) ^ poly) & mask : (crc << 1) & mask;
    table[byte] = crc;
  }
  return table;
}

const CRC8_TABLE = makeTable(0x07, 8);
const CRC16_TABLE = makeTable(0x8005, 16);

/** CRC-8 of `bytes[start, end)` as FLAC frame headers use it. */
export function crc8(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = CRC8_TABLE[crc ^ bytes[i]];
  return crc;
}

// Slicing by 4: CRC16_SLICES[k][x] is the CRC of byte x followed by k zero bytes, so four bytes
// fold into the register with four look-ups (the 16-bit register is consumed by the first two).
const CRC16_SLICES = [CRC16_TABLE];
for (let k = 1; k < 4; k++) {
  const previous = CRC16_SLICES[k - 1];
  CRC16_SLICES.push(previous.map((crc) => ((crc << 8) & 0xffff) ^ CRC16_TABLE[crc >>> 8]));
}
const [T0, T1, T2, T3] = CRC16_SLICES;

/** CRC-16 of `bytes[start, end)` as FLAC frame footers use it. */
export function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  let i = start;
  for (; i + 4 <= end; i += 4)
    crc = T3[(crc >>> 8) ^ bytes[i]] ^ T2[(crc & 0xff) ^ bytes[i + 1]] ^ T1[bytes[i + 2]] ^ T0[bytes[i + 3]];
  for (; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[(crc >>> 8) ^ bytes[i]];
  return crc;
}

/** One byte of a running CRC-16: `crc16Step(crc16(b, 0, n), b[n]) === crc16(b, 0, n + 1)`. */
export function crc16Step(crc: number, byte: number): number {
  return ((crc << 8) & 0xffff) ^ CRC16_TABLE[(crc >>> 8) ^ byte];
}
