// u64 values (addresses, cookies, counters) cross JSON boundaries (IPC,
// WebSocket, recordings) as "0x"-prefixed lowercase hex strings.

const HEX_U64 = /^0x[0-9a-f]{1,16}$/;

export const U64_MAX = (1n << 64n) - 1n;

export const u64ToHex = (value: bigint): string => `0x${value.toString(16)}`;

export function isHexU64(value: unknown): value is string {
  return typeof value === 'string' && HEX_U64.test(value);
}

/** Parses a hex u64; throws RangeError naming `what` when it is not one. */
export function hexToU64(value: unknown, what = 'value'): bigint {
  if (!isHexU64(value)) throw new RangeError(`${what}: expected a 0x-prefixed hex u64, got ${JSON.stringify(value)}`);
  return BigInt(value);
}
