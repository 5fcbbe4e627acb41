/** JSON's tokens, with the whitespace before them; a sticky pattern. */
const JSON_TOKEN = /[ \t\n\r]*(?:([[\]{},:])|("(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")|(-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)|(true|false|null))/y;

/** `JSON.parse`, except that integers beyond ±(2^53−1) are exact `bigint`s. */
function parseJsonExactly(text: string): unknown {
  const token = new RegExp(JSON_TOKEN);
  const fail = (at: number): never => {
    throw new SyntaxError(`Unexpected token in JSON at position ${at}`);
  };
  const read = (): RegExpExecArray => {
    const at = token.lastIndex;
    return token.exec(text) ?? fail(at);
  };
  const value = (match: RegExpExecArray): unknown => {
    const [, punctuation, string, number, fraction, exponent, word] = match;
    if (string !== undefined) {
      return JSON.parse(string) as string;
    }
    if (number !== undefined) {
      const exact = fraction === undefined && exponent === undefined && !Number.isSafeInteger(Number(number));
      return exact ? BigInt(number) : Number(number);
    }
    if (word !== undefined) {
      return word === "null" ? null : word === "true";
    }
    if (punctuation === "[") {
      return array();
    }
    return punctuation === "{" ? object() : fail(match.index);
  };
  const array = (): unknown[] => {
    const items: unknown[] = [];
    let match = read();
    if (match[1] === "]") {
      return items;
    }
    for (;;) {
      items.push(value(match));
      const next = read();
      if (next[1] === "]") {
        return items;
      }
      if (next[1] !== ",") {
        fail(next.index);
      }
      match = read();
    }
  };
  const object = (): { [key: string]: unknown } => {
    const entries: [string, unknown][] = [];
    let match = read();
    if (match[1] === "}") {
      return Object.fromEntries(entries);
    }
    for (;;) {
      const key = match[2] ?? fail(match.index);
      const colon = read();
      if (colon[1] !== ":") {
        fail(colon.index);
      }
      entries.push([JSON.parse(key) as string, value(read())]);
      const next = read();
      if (next[1] === "}") {
        return Object.fromEntries(entries);
      }
      if (next[1] !== ",") {
        fail(next.index);
      }
      match = read();
    }
  };
  const result = value(read());
  if (!/^[ \t\n\r]*$/.test(text.slice(token.lastIndex))) {
    fail(token.lastIndex);
  }
  return result;
}

/**
 * The integers of a parsed message as its places say: `bigint` or `string`
 * where the catalog chose them, `number` everywhere else. Copies objects
 * with `Object.fromEntries`, so a `__proto__` key stays a plain property.
 */
function reviveIntegers(value: unknown, at: number | undefined): unknown {
  const node = at === undefined ? undefined : LARGE_INTEGER_NODES[at];
  if (typeof value === "number" || typeof value === "bigint") {
    const integral = typeof value === "bigint" || Number.isInteger(value);
    if (integral && node?.as === "bigint") {
      return BigInt(value);
    }
    return integral && node?.as === "string" ? String(value) : Number(value);
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => reviveIntegers(item, node?.items));
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => [key, reviveIntegers(item, node?.keys?.get(key) ?? node?.any)]);
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * `JSON.stringify` (without spacing), except that `bigint`s, and decimal
 * strings where the place says `string`, are written as JSON integers.
 */
function stringifyExactly(value: unknown, at: number | undefined): string | undefined {
  const node = at === undefined ? undefined : LARGE_INTEGER_NODES[at];
  if (typeof value === "bigint") {
    return value.toString();
  }
  if (typeof value === "string" && node?.as === "string" && /^-?(?:0|[1-9][0-9]*)$/.test(value)) {
    return value;
  }
  if (typeof value !== "object" || value === null) {
    return JSON.stringify(value) as string | undefined;
  }
  const toJSON: unknown = (value as { readonly toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    return stringifyExactly((toJSON as () => unknown).call(value), at);
  }
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => stringifyExactly(item, node?.items) ?? "null");
    return `[${items.join(",")}]`;
  }
  const members: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const written = stringifyExactly(item, node?.keys?.get(key) ?? node?.any);
    if (written !== undefined) {
      members.push(`${JSON.stringify(key)}:${written}`);
    }
  }
  return `{${members.join(",")}}`;
}
