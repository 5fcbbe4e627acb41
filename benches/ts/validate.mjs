// Times the generated TypeScript validation per message against Ajv with
// compiled validators on the same schemas (run by bench-report; see
// BENCHMARKS.md).
//
// usage: node validate.mjs <input.json> <module.js> [<label>=<module.js> ...]
//
// <input.json> is what bench-report writes for a catalog
// (eventcat_benches::validation::input): each event's payload schema as
// JSON Schema 2020-12 (the catalog's definitions under `$defs`, as
// `eventcat verify` and the differential test compile it), its examples,
// and the names of the generated guard and parser. <module.js> is the
// generated module compiled by tsc; more modules (`before=old/board.js`) are
// timed in the same run, in further columns.
//
// Both tools judge the same instances: the examples (valid) and mutations of
// them (a wrong type at every place, numbers off their range, strings too
// long or malformed, arrays emptied or with a null item, objects missing a
// key or with an unexpected one), kept when Ajv rejects them. Every verdict
// of every module is compared with Ajv's first; disagreements are counted
// and left out of the timing; so is every instance on which a further
// module's `parse` error (pointer, keyword, expected) differs from the first
// module's. Prints one JSON line.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [inputFile, modulePath, ...extra] = process.argv.slice(2);
if (!inputFile || !modulePath) {
  console.error("usage: node validate.mjs <input.json> <module.js> [<label>=<module.js> ...]");
  process.exit(2);
}
const input = JSON.parse(readFileSync(inputFile, "utf8"));
const load = (file) => import(pathToFileURL(path.resolve(file)).href);
const modules = [["eventcat", await load(modulePath)]];
for (const item of extra) {
  const at = item.indexOf("=");
  modules.push([item.slice(0, at), await load(item.slice(at + 1))]);
}

// Ajv: every format eventcat checks, full (not "fast") format semantics,
// the first error only (as eventcat reports), unknown keywords (`x-…`
// annotations) ignored.
const FORMATS = ["date", "time", "date-time", "duration", "uuid", "ipv4", "ipv6", "hostname", "email", "uri", "uri-reference"];
const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv, { mode: "full", formats: FORMATS });

const compileStart = process.hrtime.bigint();
const withDefs = (schema) => ({ ...schema, $defs: input.definitions });
const envelope = input.envelope;
const events = input.events.map((event) => {
  const payload = ajv.compile(withDefs(event.schema));
  const message =
    envelope === null
      ? undefined
      : ajv.compile({
          type: "object",
          required: [envelope.type, ...(envelope.version === null ? [] : [envelope.version]), envelope.payload],
          properties: {
            [envelope.type]: { const: event.name },
            ...(envelope.version === null ? {} : { [envelope.version]: { type: "integer" } }),
            [envelope.payload]: event.schema,
          },
          $defs: input.definitions,
        });
  return { ...event, ajvPayload: payload, ajvMessage: message };
});
const ajvCompileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;

// Ajv on a whole message: the compiled envelope schema of its type.
const ajvMessages = new Map(events.map((event) => [event.name, event.ajvMessage]));
function ajvMessage(message) {
  const validate = typeof message === "object" && message !== null ? ajvMessages.get(message[envelope.type]) : undefined;
  return validate !== undefined && validate(message);
}

// --- instances -------------------------------------------------------------

/** Every place in a value, as a path of keys and indices. */
function places(value, at, out) {
  out.push(at);
  if (Array.isArray(value)) {
    value.forEach((item, index) => places(item, [...at, index], out));
  } else if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) {
      places(value[key], [...at, key], out);
    }
  }
  return out;
}

/** What replaces a value to (likely) break it. */
function mutations(value) {
  const out = [];
  if (typeof value === "string") {
    out.push(12345, `${value}\u0000!`, "x".repeat(1100));
  } else if (typeof value === "number") {
    out.push("12", value - 1e6, value + 0.5);
  } else if (Array.isArray(value)) {
    out.push({}, [], [...value, null]);
  } else if (typeof value === "object" && value !== null) {
    out.push([], { ...value, unexpected_key: 1 });
    const keys = Object.keys(value);
    if (keys.length > 0) {
      const { [keys[0]]: _, ...rest } = value;
      out.push(rest);
    }
  } else {
    out.push("not valid!", 7);
  }
  return out;
}

function replaced(value, at, by) {
  if (at.length === 0) {
    return by;
  }
  const copy = Array.isArray(value) ? [...value] : { ...value };
  copy[at[0]] = replaced(value[at[0]], at.slice(1), by);
  return copy;
}

/** At most `limit` mutated copies of an example, spread over its places. */
function mutated(example, limit) {
  const all = [];
  for (const at of places(example, [], [])) {
    let value = example;
    for (const step of at) {
      value = value[step];
    }
    for (const by of mutations(value)) {
      all.push(replaced(example, at, by));
    }
  }
  const stride = Math.max(1, Math.floor(all.length / limit));
  return all.filter((_, index) => index % stride === 0).slice(0, limit);
}

const MUTATIONS_PER_EXAMPLE = 12;
const message = (event, payload) =>
  envelope === null
    ? undefined
    : {
        ...(envelope.version === null ? {} : { [envelope.version]: envelope.protocol_version }),
        [envelope.type]: event.name,
        [envelope.payload]: payload,
      };

const disagreements = [];
let disagreeing = 0;
let errorsDiffer = 0;
const valid = [];
const invalid = [];
let mutationsStillValid = 0;
for (const event of events) {
  const guards = modules.map(([label, module]) => {
    const guard = module[event.guard];
    if (typeof guard !== "function") {
      throw new Error(`${label}: no ${event.guard} in the module`);
    }
    return guard;
  });
  const parsers = modules.map(([, module]) => module[input.parse]);
  const judge = (payload, expectValid) => {
    const ajvValid = event.ajvPayload(payload);
    const wrapped = message(event, payload);
    const ajvWrapped = wrapped === undefined ? ajvValid : ajvMessage(wrapped);
    let withAjv = ajvWrapped === ajvValid;
    let sameErrors = true;
    const error = (index) => (wrapped === undefined ? "" : JSON.stringify(parsers[index](wrapped).error));
    modules.forEach(([label], index) => {
      if (guards[index](payload) !== ajvValid || (wrapped !== undefined && parsers[index](wrapped).ok !== ajvWrapped)) {
        withAjv = false;
        if (disagreements.length < 5) {
          disagreements.push(`${label}: ${event.name}: Ajv says ${ajvValid ? "valid" : "invalid"}: ${JSON.stringify(payload).slice(0, 300)}`);
        }
      }
      if (index > 0 && error(index) !== error(0)) {
        sameErrors = false;
        if (disagreements.length < 5) {
          disagreements.push(`${label}: ${event.name}: error ${error(index)}, ${modules[0][0]}: ${error(0)}`);
        }
      }
    });
    disagreeing += withAjv ? 0 : 1;
    errorsDiffer += sameErrors ? 0 : 1;
    if (!withAjv || !sameErrors) {
      return;
    }
    const instance = { event, payload, message: wrapped, guards };
    if (ajvValid) {
      if (expectValid) {
        valid.push(instance);
      } else {
        mutationsStillValid++;
      }
    } else {
      invalid.push(instance);
    }
  };
  for (const example of event.examples) {
    judge(example, true);
    for (const payload of mutated(example, MUTATIONS_PER_EXAMPLE)) {
      judge(payload, false);
    }
  }
}

// --- timing ----------------------------------------------------------------

// One loop per tool and entry point, so no call site is shared between tools.
// Each returns how many instances passed, so nothing is optimized away.
const loops = {
  guard: (items, n, which) => {
    let passed = 0;
    for (let i = 0; i < n; i++) {
      const item = items[i % items.length];
      if (item.guards[which](item.payload)) passed++;
    }
    return passed;
  },
  ajvPayload: (items, n) => {
    let passed = 0;
    for (let i = 0; i < n; i++) {
      const item = items[i % items.length];
      if (item.event.ajvPayload(item.payload)) passed++;
    }
    return passed;
  },
  parse: (items, n, parse) => {
    let passed = 0;
    for (let i = 0; i < n; i++) {
      if (parse(items[i % items.length].message).ok) passed++;
    }
    return passed;
  },
  ajvMessage: (items, n) => {
    let passed = 0;
    for (let i = 0; i < n; i++) {
      if (ajvMessage(items[i % items.length].message)) passed++;
    }
    return passed;
  },
};

/** The CPU time of the process so far, in nanoseconds (user and system, all threads). */
function cpuNs() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/**
 * Nanoseconds of CPU time per call of `body(n)`, for a run of at least
 * ~100 ms of CPU. CPU time rather than wall time: on a shared machine a
 * run waits for a core now and then, and waiting is not the validator's cost.
 */
function nsPerCall(body) {
  let n = 1000;
  for (;;) {
    const start = cpuNs();
    body(n);
    const ns = cpuNs() - start;
    if (ns > 100e6) {
      return ns / n;
    }
    n = Math.ceil(n * Math.min(10, Math.max(2, 150e6 / Math.max(ns, 1))));
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// VALIDATE_ROUNDS=0 only compares the verdicts (and errors), timing nothing.
const ROUNDS = Number(process.env.VALIDATE_ROUNDS ?? 7);
const cases = [];
for (const [set, items] of [["valid", valid], ["invalid", invalid]]) {
  if (items.length === 0) {
    continue;
  }
  modules.forEach(([label, module], which) => {
    cases.push({ key: `${label}.payload.${set}`, run: (n) => loops.guard(items, n, which) });
    if (envelope !== null) {
      const parse = module[input.parse];
      cases.push({ key: `${label}.message.${set}`, run: (n) => loops.parse(items, n, parse) });
    }
  });
  cases.push({ key: `ajv.payload.${set}`, run: (n) => loops.ajvPayload(items, n) });
  if (envelope !== null) {
    cases.push({ key: `ajv.message.${set}`, run: (n) => loops.ajvMessage(items, n) });
  }
}
// Every case is warmed up first until its speed settles: at least 1,500
// calls per event type, then until five samples in a row are within 25% of
// each other (or 150 s of CPU). With thousands of generated functions the
// JIT compilers take a while to reach them all (at 1,000 events, around a
// million calls for both tools), and the speed dips while they work.
// Then rounds interleave the tools, so a change of load hits them alike.
const WARMUP_CALLS = 1500 * events.length;
const warmup = {};
for (const item of ROUNDS > 0 ? cases : []) {
  const start = cpuNs();
  let calls = 0;
  const recent = [];
  const counting = (n) => {
    calls += n;
    return item.run(n);
  };
  for (;;) {
    recent.push(nsPerCall(counting));
    const last = recent.slice(-5);
    const settled = last.length === 5 && Math.max(...last) <= 1.25 * Math.min(...last);
    if ((calls >= WARMUP_CALLS && settled) || cpuNs() - start > 150e9) {
      break;
    }
  }
  warmup[item.key] = { cpu_ms: Math.round((cpuNs() - start) / 1e6), calls };
}
// Two untimed rounds of every case: a case that runs the same functions
// as another down paths the other never took (a failure after the valid
// messages) would otherwise send its optimized code back to the JIT
// compilers during the timed rounds.
for (let round = 0; round < (ROUNDS > 0 ? 2 : 0); round++) {
  for (const item of cases) {
    nsPerCall(item.run);
  }
}
const samples = new Map(cases.map((item) => [item.key, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const item of cases) {
    samples.get(item.key).push(nsPerCall(item.run));
  }
}
const result = {
  events: events.length,
  valid: valid.length,
  invalid: invalid.length,
  mutations_still_valid: mutationsStillValid,
  disagreements: disagreeing,
  errors_differ: errorsDiffer,
  disagreement_examples: disagreements,
  ajv_compile_ms: Math.round(ajvCompileMs),
  rounds: ROUNDS,
  warmup,
  ns: Object.fromEntries(
    [...samples].map(([key, values]) => [key, { median: median(values), min: Math.min(...values), rounds: values.map(Math.round) }]),
  ),
};
console.log(JSON.stringify(result));
