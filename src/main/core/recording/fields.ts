// Checks for one field of a parsed JSON line. Each check names the field by
// its path in the line ("events[2].hintStart") so that a reader of a broken
// recording knows exactly what to fix.

import { isHexU64 } from '../../../shared/u64';

/** A field that is missing or has the wrong type; reader.ts adds the line number. */
export class FieldProblem extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path}: ${expected}`);
    this.name = 'FieldProblem';
  }
}

export type JsonObject = { readonly [key: string]: unknown };

export const fieldPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;

export function object(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldProblem(path, 'expected an object');
  }
  return value as JsonObject;
}

/** The field `key` of `obj`; missing fields are reported as such rather than as a wrong type. */
function field(obj: JsonObject, parent: string, key: string): unknown {
  if (!Object.hasOwn(obj, key)) throw new FieldProblem(fieldPath(parent, key), 'missing');
  return obj[key];
}

export function objectField(obj: JsonObject, parent: string, key: string): JsonObject {
  return object(field(obj, parent, key), fieldPath(parent, key));
}

export function arrayField(obj: JsonObject, parent: string, key: string): readonly unknown[] {
  const value = field(obj, parent, key);
  if (!Array.isArray(value)) throw new FieldProblem(fieldPath(parent, key), 'expected an array');
  return value;
}

export function u64(value: unknown, path: string): bigint {
  if (!isHexU64(value)) throw new FieldProblem(path, 'expected a 0x-prefixed hex u64');
  return BigInt(value);
}

export const u64Field = (obj: JsonObject, parent: string, key: string): bigint =>
  u64(field(obj, parent, key), fieldPath(parent, key));

function integerIn(value: unknown, path: string, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FieldProblem(path, `expected ${what}`);
  }
  return value;
}

export const u32Field = (obj: JsonObject, parent: string, key: string): number =>
  integerIn(field(obj, parent, key), fieldPath(parent, key), 0, 0xffffffff, 'an unsigned 32-bit integer');

/** A non-negative count or index that fits a JavaScript number exactly. */
export const countField = (obj: JsonObject, parent: string, key: string): number =>
  integerIn(field(obj, parent, key), fieldPath(parent, key), 0, Number.MAX_SAFE_INTEGER, 'a non-negative integer');

export const integerField = (obj: JsonObject, parent: string, key: string): number =>
  integerIn(
    field(obj, parent, key),
    fieldPath(parent, key),
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
    'an integer',
  );

export function finiteField(obj: JsonObject, parent: string, key: string): number {
  const value = field(obj, parent, key);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FieldProblem(fieldPath(parent, key), 'expected a number');
  }
  return value;
}

export function stringField(obj: JsonObject, parent: string, key: string): string {
  const value = field(obj, parent, key);
  if (typeof value !== 'string') throw new FieldProblem(fieldPath(parent, key), 'expected a string');
  return value;
}

export function booleanField(obj: JsonObject, parent: string, key: string): boolean {
  const value = field(obj, parent, key);
  if (typeof value !== 'boolean') throw new FieldProblem(fieldPath(parent, key), 'expected true or false');
  return value;
}

export function oneOfField<T extends string>(obj: JsonObject, parent: string, key: string, allowed: readonly T[]): T {
  const value = field(obj, parent, key);
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) {
    throw new FieldProblem(fieldPath(parent, key), `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return match;
}

export const hasField = (obj: JsonObject, key: string): boolean => Object.hasOwn(obj, key);
