/** A decimal integer, as the integers carried as strings are written. */
const DECIMAL = /^-?(?:0|[1-9][0-9]*)$/;

/** The first failure of a value against `CHECKS[at]`, or `undefined` when it passes. */
function checkValue(value: unknown, at: number, pointer: string): Failure | undefined {
  const check = CHECKS[at];
  if (check === undefined) {
    return undefined;
  }
  if (check.never === true) {
    return { pointer, keyword: "false", expected: "no value here" };
  }
  return (
    (check.ref === undefined ? undefined : checkValue(value, check.ref, pointer)) ??
    checkKind(value, check, pointer) ??
    checkNumber(value, check, pointer) ??
    checkString(value, check, pointer) ??
    checkArray(value, check, pointer) ??
    checkObject(value, check, pointer) ??
    checkCombinators(value, check, pointer)
  );
}

function isJsonObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: JsonType, check: Check): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "object":
      return isJsonObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "bigint" || (typeof value === "number" && Number.isFinite(value));
    case "integer":
      if (check.integerAs === "string") {
        return typeof value === "string" && DECIMAL.test(value);
      }
      return typeof value === "bigint" || Number.isInteger(value);
  }
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
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual(a[key], b[key]))
    );
  }
  return a === b;
}

function checkKind(value: unknown, check: Check, pointer: string): Failure | undefined {
  if (check.type !== undefined && !check.type.some((type) => hasType(value, type, check))) {
    return { pointer, keyword: "type", expected: check.type.join(" or ") };
  }
  if ("const" in check && !jsonEqual(value, check.const)) {
    return { pointer, keyword: "const", expected: JSON.stringify(check.const) };
  }
  if (check.enum !== undefined && !check.enum.some((allowed) => jsonEqual(value, allowed))) {
    return { pointer, keyword: "enum", expected: check.enum.map((allowed) => JSON.stringify(allowed)).join(", ") };
  }
  return undefined;
}

function checkNumber(value: unknown, check: Check, pointer: string): Failure | undefined {
  const number =
    typeof value === "number" || typeof value === "bigint"
      ? value
      : check.integerAs === "string" && typeof value === "string" && DECIMAL.test(value)
        ? BigInt(value)
        : undefined;
  if (number === undefined) {
    return undefined;
  }
  const bounds: readonly [string, number | undefined, (bound: number) => boolean][] = [
    ["minimum", check.minimum, (bound) => number >= bound],
    ["maximum", check.maximum, (bound) => number <= bound],
    ["exclusiveMinimum", check.exclusiveMinimum, (bound) => number > bound],
    ["exclusiveMaximum", check.exclusiveMaximum, (bound) => number < bound],
    ["multipleOf", check.multipleOf, (bound) => isMultiple(number, bound)],
  ];
  for (const [keyword, bound, holds] of bounds) {
    if (bound !== undefined && !holds(bound)) {
      return { pointer, keyword, expected: String(bound) };
    }
  }
  return undefined;
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

function matches(pattern: number, text: string): boolean {
  const expression = PATTERNS[pattern];
  return expression === undefined || expression.test(text);
}

function checkString(value: unknown, check: Check, pointer: string): Failure | undefined {
  if (typeof value !== "string") {
    return undefined;
  }
  // JSON Schema counts characters (code points), not UTF-16 units.
  const length = Array.from(value).length;
  if (check.minLength !== undefined && length < check.minLength) {
    return { pointer, keyword: "minLength", expected: String(check.minLength) };
  }
  if (check.maxLength !== undefined && length > check.maxLength) {
    return { pointer, keyword: "maxLength", expected: String(check.maxLength) };
  }
  if (check.pattern !== undefined && !matches(check.pattern, value)) {
    return { pointer, keyword: "pattern", expected: PATTERNS[check.pattern]?.source ?? "" };
  }
  if (check.format !== undefined && !isFormat(check.format, value)) {
    return { pointer, keyword: "format", expected: check.format };
  }
  return undefined;
}

function checkArray(value: unknown, check: Check, pointer: string): Failure | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  if (check.minItems !== undefined && value.length < check.minItems) {
    return { pointer, keyword: "minItems", expected: String(check.minItems) };
  }
  if (check.maxItems !== undefined && value.length > check.maxItems) {
    return { pointer, keyword: "maxItems", expected: String(check.maxItems) };
  }
  if (check.uniqueItems === true && value.some((item: unknown, index) => value.slice(0, index).some((earlier: unknown) => jsonEqual(earlier, item)))) {
    return { pointer, keyword: "uniqueItems", expected: "no two equal items" };
  }
  if (check.items !== undefined) {
    for (let index = 0; index < value.length; index++) {
      const failure = checkValue(value[index], check.items, `${pointer}/${index}`);
      if (failure !== undefined) {
        return failure;
      }
    }
  }
  return undefined;
}

/** A key as a JSON Pointer segment. */
function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function checkObject(value: unknown, check: Check, pointer: string): Failure | undefined {
  if (!isJsonObject(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  if (check.minProperties !== undefined && keys.length < check.minProperties) {
    return { pointer, keyword: "minProperties", expected: String(check.minProperties) };
  }
  if (check.maxProperties !== undefined && keys.length > check.maxProperties) {
    return { pointer, keyword: "maxProperties", expected: String(check.maxProperties) };
  }
  for (const name of check.required ?? []) {
    if (!Object.prototype.hasOwnProperty.call(value, name)) {
      return { pointer, keyword: "required", expected: name };
    }
  }
  for (const key of keys) {
    const failure = checkMember(value[key], key, check, `${pointer}/${escapePointer(key)}`);
    if (failure !== undefined) {
      return failure;
    }
  }
  return undefined;
}

/** One member of an object: its property schema, matching patterns, or the rest's schema; and its name. */
function checkMember(item: unknown, key: string, check: Check, pointer: string): Failure | undefined {
  const property = check.properties?.get(key);
  let described = property !== undefined;
  let failure = property === undefined ? undefined : checkValue(item, property, pointer);
  for (const [pattern, schema] of check.patternProperties ?? []) {
    if (failure === undefined && matches(pattern, key)) {
      described = true;
      failure = checkValue(item, schema, pointer);
    }
  }
  if (failure === undefined && !described && check.additionalProperties !== undefined) {
    failure =
      CHECKS[check.additionalProperties]?.never === true
        ? { pointer, keyword: "additionalProperties", expected: "no property of this name" }
        : checkValue(item, check.additionalProperties, pointer);
  }
  if (failure === undefined && check.propertyNames !== undefined) {
    failure = checkValue(key, check.propertyNames, pointer);
  }
  return failure;
}

function checkCombinators(value: unknown, check: Check, pointer: string): Failure | undefined {
  for (const schema of check.allOf ?? []) {
    const failure = checkValue(value, schema, pointer);
    if (failure !== undefined) {
      return failure;
    }
  }
  const passes = (schema: number): boolean => checkValue(value, schema, pointer) === undefined;
  if (check.anyOf !== undefined && !check.anyOf.some(passes)) {
    return { pointer, keyword: "anyOf", expected: `one of ${check.anyOf.length} schemas` };
  }
  if (check.oneOf !== undefined) {
    const passing = check.oneOf.filter(passes).length;
    if (passing !== 1) {
      return { pointer, keyword: "oneOf", expected: `exactly one of ${check.oneOf.length} schemas, not ${passing}` };
    }
  }
  return undefined;
}
