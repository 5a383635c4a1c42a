// Reading untrusted JSON field by field. Every check names the field by its
// path ("events[2].hintStart", "request.op.cookie") so that a refused
// message or a broken recording says exactly what to fix. This is the one
// kit behind every decoder: messages, recordings, the device-session
// protocol and exports.

import { isHexU64 } from '../u64';

/** A value that is missing or not what its field holds. */
export class CodecError extends Error {
  constructor(
    /** Where the value sits in the decoded document; '' for the document itself. */
    readonly path: string,
    /** What was expected there ("missing", "expected a 0x-prefixed hex u64"). */
    readonly problem: string,
  ) {
    super(path === '' ? problem : `${path}: ${problem}`);
    this.name = 'CodecError';
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const fieldPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;

export const U32_MAX = 0xffff_ffff;

export function u64(value: unknown, path: string): bigint {
  if (!isHexU64(value)) throw new CodecError(path, 'expected a 0x-prefixed hex u64');
  return BigInt(value);
}

const isInteger = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

export function integer(value: unknown, path: string, min: number, max: number, what?: string): number {
  if (!isInteger(value, min, max)) throw new CodecError(path, `expected ${what ?? `a whole number in [${min}, ${max}]`}`);
  return value;
}

export const u32 = (value: unknown, path: string): number => integer(value, path, 0, U32_MAX, 'an unsigned 32-bit integer');

/** A non-negative count or index that a JavaScript number holds exactly. */
export const count = (value: unknown, path: string): number => integer(value, path, 0, Number.MAX_SAFE_INTEGER, 'a non-negative integer');

export function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CodecError(path, 'expected a number');
  return value;
}

const STRING_MAX = 1 << 20;

export function string(value: unknown, path: string, maxLength = STRING_MAX): string {
  if (typeof value !== 'string') throw new CodecError(path, 'expected a string');
  if (value.length > maxLength) throw new CodecError(path, `longer than ${maxLength} characters`);
  return value;
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new CodecError(path, 'expected true or false');
  return value;
}

export function hex(value: unknown, path: string): string {
  u64(value, path);
  return value as string;
}

export function oneOf<T extends string | number>(value: unknown, allowed: readonly T[], path: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new CodecError(path, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return found;
}

export function array<T>(value: unknown, path: string, decode: (item: unknown, path: string) => T, max = 1 << 24): T[] {
  if (!Array.isArray(value)) throw new CodecError(path, 'expected an array');
  if (value.length > max) throw new CodecError(path, `more than ${max} items`);
  return value.map((item, i) => decode(item, fieldPath(path, i)));
}

/**
 * One JSON object being decoded: each getter reads a field, checks it and
 * names it by its path. A missing field is reported as missing, not as a
 * wrong type. Fields the decoder does not ask for are ignored unless
 * `only` is called (messages refuse them; recordings may gain fields).
 */
export class Fields {
  private constructor(
    readonly value: { readonly [key: string]: unknown },
    readonly path: string,
  ) {}

  static of(value: unknown, path: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CodecError(path, 'expected an object');
    return new Fields(value as { readonly [key: string]: unknown }, path);
  }

  at(key: string): string {
    return fieldPath(this.path, key);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.value, key) && this.value[key] !== undefined;
  }

  get(key: string): unknown {
    if (!Object.hasOwn(this.value, key)) throw new CodecError(this.at(key), 'missing');
    return this.value[key];
  }

  // The readers of single values below check the value first and name its
  // path only when it is wrong: a stream decodes hundreds of thousands of
  // fields a second, and building each one's path was most of the work.

  /** Refuses any field not in `keys`, so a misspelt field fails loudly. */
  only(keys: readonly string[]): this {
    for (const key of Object.keys(this.value)) {
      if (!keys.includes(key)) throw new CodecError(this.path, `unexpected field "${key}"`);
    }
    return this;
  }

  read<T>(key: string, decode: (value: unknown, path: string) => T): T {
    return decode(this.get(key), this.at(key));
  }

  optional<T>(key: string, decode: (value: unknown, path: string) => T): T | undefined {
    return this.has(key) ? this.read(key, decode) : undefined;
  }

  nullable<T>(key: string, decode: (value: unknown, path: string) => T): T | null {
    const value = this.get(key);
    return value === null ? null : decode(value, this.at(key));
  }

  object(key: string): Fields {
    return Fields.of(this.get(key), this.at(key));
  }

  u64(key: string): bigint {
    const value = this.get(key);
    return isHexU64(value) ? BigInt(value) : u64(value, this.at(key));
  }
  hex(key: string): string {
    const value = this.get(key);
    return isHexU64(value) ? value : hex(value, this.at(key));
  }
  u32(key: string): number {
    const value = this.get(key);
    return isInteger(value, 0, U32_MAX) ? value : u32(value, this.at(key));
  }
  count(key: string): number {
    const value = this.get(key);
    return isInteger(value, 0, Number.MAX_SAFE_INTEGER) ? value : count(value, this.at(key));
  }
  finite(key: string): number {
    const value = this.get(key);
    return typeof value === 'number' && Number.isFinite(value) ? value : finite(value, this.at(key));
  }
  boolean(key: string): boolean {
    const value = this.get(key);
    return typeof value === 'boolean' ? value : boolean(value, this.at(key));
  }
  string(key: string, maxLength = STRING_MAX): string {
    const value = this.get(key);
    return typeof value === 'string' && value.length <= maxLength ? value : string(value, this.at(key), maxLength);
  }
  integer(key: string, min: number, max: number): number {
    const value = this.get(key);
    return isInteger(value, min, max) ? value : integer(value, this.at(key), min, max);
  }
  oneOf<T extends string | number>(key: string, allowed: readonly T[]): T {
    const value = this.get(key);
    return allowed.includes(value as T) ? (value as T) : oneOf(value, allowed, this.at(key));
  }
  array<T>(key: string, decode: (item: unknown, path: string) => T, max?: number): T[] {
    return this.read(key, (v, p) => array(v, p, decode, max));
  }
}
