/** A decimal integer, as the integers carried as strings are written. */
const DECIMAL = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * The last failure: the keyword and what it expects, recorded by the check
 * that fails, and the keys and indices from the checked value down to the
 * failing one, innermost first, added by each check on the way out. Checks
 * return whether a value passes, so a valid value costs nothing here.
 */
let failedKeyword = "";

/** What the failed keyword expects. */
let failedExpected = "";

/** The places of the last failure, innermost first: the first `failedDepth` items. */
const failedPath: (string | number)[] = [];

/** How many places the last failure has. */
let failedDepth = 0;

/** Records a failure of the value being checked; returns `false`. */
function fail(keyword: string, expected: string): false {
  failedKeyword = keyword;
  failedExpected = expected;
  failedDepth = 0;
  return false;
}

/** Adds the key or index of a failed member or item to the failure; returns `false`. */
function within(place: string | number): false {
  failedPath[failedDepth++] = place;
  return false;
}

/** The last failure, its JSON Pointer below `pointer`. */
function failure(pointer: string): Failure {
  let at = pointer;
  for (let index = failedDepth - 1; index >= 0; index--) {
    const place = failedPath[index] ?? "";
    at += typeof place === "number" || (!place.includes("~") && !place.includes("/")) ? `/${place}` : `/${place.replace(/~/g, "~0").replace(/\//g, "~1")}`;
  }
  return { pointer: at, keyword: failedKeyword, expected: failedExpected };
}

function isJsonObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether an object has a member of its own, not one it inherits (`toString`). */
function hasMember(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** Whether an object has every required member; the first missing one is recorded as the failure. */
function hasRequired(value: object, names: readonly string[]): boolean {
  for (const name of names) {
    if (!hasMember(value, name)) {
      return fail("required", name);
    }
  }
  return true;
}

/** Equality of JSON values: numbers by value, objects whatever their key order. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint")) {
    return a == b;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item: unknown, index) => jsonEqual(item, b[index]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => hasMember(b, key) && jsonEqual(a[key], b[key]));
  }
  return a === b;
}

/** Whether a value equals one of `values`, as JSON (`enum`). */
function isOneOf(value: unknown, values: readonly unknown[]): boolean {
  for (const allowed of values) {
    if (jsonEqual(value, allowed)) {
      return true;
    }
  }
  return false;
}

/** What an `enum` expects: its values as JSON, comma-separated. */
function jsonList(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
}

function isMultiple(value: number | bigint, of: number): boolean {
  if (typeof value === "bigint") {
    return Number.isInteger(of) ? value % BigInt(of) === 0n : Number.isInteger(Number(value) / of);
  }
  if (Number.isInteger(value) && Number.isInteger(of)) {
    return value % of === 0;
  }
  return Number.isInteger(value / of);
}

/**
 * The length of a text as JSON Schema counts it: in characters (code points),
 * not UTF-16 units. A text has between half and all of its units' count.
 */
function codePoints(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length - 1; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        index++;
      }
    }
  }
  return count;
}

/** Whether two items of an array are equal, as JSON (`uniqueItems`). */
function hasDuplicates(items: readonly unknown[]): boolean {
  for (let index = 1; index < items.length; index++) {
    for (let earlier = 0; earlier < index; earlier++) {
      if (jsonEqual(items[earlier], items[index])) {
        return true;
      }
    }
  }
  return false;
}
