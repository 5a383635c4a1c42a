// Hand-written checks for data arriving across a process boundary. Each
// check narrows `unknown` to a type or throws a MessageError naming the
// path of the offending field, so a rejected message says what was wrong.

import { isHexU64 } from './u64';

export class MessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

export type Fields = Record<string, unknown>;

export function record(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MessageError(`${path}: expected an object`);
  }
  return value as Fields;
}

export function array(value: unknown, path: string, max = 1_000_000): unknown[] {
  if (!Array.isArray(value)) throw new MessageError(`${path}: expected an array`);
  if (value.length > max) throw new MessageError(`${path}: more than ${max} items`);
  return value;
}

export function string(value: unknown, path: string, maxLength = 1 << 20): string {
  if (typeof value !== 'string') throw new MessageError(`${path}: expected a string`);
  if (value.length > maxLength) throw new MessageError(`${path}: longer than ${maxLength} characters`);
  return value;
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new MessageError(`${path}: expected a boolean`);
  return value;
}

export function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MessageError(`${path}: expected a number`);
  return value;
}

export function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MessageError(`${path}: expected an integer in [${min}, ${max}]`);
  }
  return value;
}

export const u32 = (value: unknown, path: string): number => integer(value, path, 0, 0xffff_ffff);

export function hex(value: unknown, path: string): string {
  if (!isHexU64(value)) throw new MessageError(`${path}: expected a 0x-prefixed lowercase hex u64`);
  return value;
}

export function oneOf<T extends string | number>(value: unknown, allowed: readonly T[], path: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new MessageError(`${path}: expected one of ${allowed.join(', ')}`);
  return found;
}

export function optional<T>(value: unknown, check: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

/** Rejects keys the schema does not define, so typos fail loudly. */
export function onlyKeys(fields: Fields, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) throw new MessageError(`${path}: unexpected field "${key}"`);
  }
}
