// Runtime tests of the generated `board` channel module (../../generated/ts/).
//
// Every catalog example is wrapped in an envelope, sent through JSON (as on the
// wire) and dispatched; messages that are not envelopes of a known event must be
// ignored without throwing and without calling any handler.

import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import {
  BOARD_EVENT_TYPES,
  CHANNEL,
  IGNORE,
  PROTOCOL_VERSION,
  decodeBoardEvent,
  defineBoardHandlers,
  dispatchBoardEvent,
  isBoardEventType,
  isTaskCreatedPayload,
  parseBoardEvent,
  type BoardValidationError,
  type BoardEnvelope,
  type BoardEnvelopeOf,
  type BoardEventType,
  type BoardHandlers,
  type BoardPayloads,
} from "../../../generated/ts/board.js";
import { BOARD_EXAMPLES } from "../../../generated/ts/board.examples.js";

/** One handler call, as recorded by the handlers below. */
interface Call {
  readonly eventType: BoardEventType;
  readonly payload: unknown;
  readonly envelope: unknown;
}

const calls: Call[] = [];

/** Typed so that a handler recording under the wrong event name does not compile. */
function record<K extends BoardEventType>(
  eventType: K,
  payload: BoardPayloads[K],
  envelope: BoardEnvelopeOf<K>,
): void {
  calls.push({ eventType, payload, envelope });
}

// An explicit object literal of type BoardHandlers naming every event: tsc
// proves the handler map type is satisfiable, and that each handler's
// parameters are contextually typed as its own event's payload and envelope.
const recordingHandlers: BoardHandlers = {
  backlog_reranked: (payload, envelope) => record("backlog_reranked", payload, envelope),
  baseline_activated: (payload, envelope) => record("baseline_activated", payload, envelope),
  dependency_accepted: (payload, envelope) => record("dependency_accepted", payload, envelope),
  phases_reordered: (payload, envelope) => record("phases_reordered", payload, envelope),
  risks_imported: (payload, envelope) => record("risks_imported", payload, envelope),
  roster_changed: (payload, envelope) => record("roster_changed", payload, envelope),
  slip_conflicts_updated: (payload, envelope) => record("slip_conflicts_updated", payload, envelope),
  sprint_retro_updated: (payload, envelope) => record("sprint_retro_updated", payload, envelope),
  task_created: (payload, envelope) => record("task_created", payload, envelope),
  task_updated: (payload, envelope) => record("task_updated", payload, envelope),
  task_deleted: (payload, envelope) => record("task_deleted", payload, envelope),
  tasks_bulk_mutated: (payload, envelope) => record("tasks_bulk_mutated", payload, envelope),
  tasks_reordered: (payload, envelope) => record("tasks_reordered", payload, envelope),
  tasks_restructured: (payload, envelope) => record("tasks_restructured", payload, envelope),
  task_run_started: (payload, envelope) => record("task_run_started", payload, envelope),
  task_run_progress: (payload, envelope) => record("task_run_progress", payload, envelope),
  task_run_completed: (payload, envelope) => record("task_run_completed", payload, envelope),
  task_run_failed: (payload, envelope) => record("task_run_failed", payload, envelope),
  task_run_cancelled: (payload, envelope) => record("task_run_cancelled", payload, envelope),
};

// The same map through the checked constructor (a variable, not a literal).
const handlers = defineBoardHandlers(recordingHandlers);

/** The catalog examples of event `K`, each wrapped in its envelope. */
function envelopesOf<K extends BoardEventType>(eventType: K): BoardEnvelopeOf<K>[] {
  return BOARD_EXAMPLES[eventType].map(
    (payload): BoardEnvelopeOf<K> => ({ protocol_version: PROTOCOL_VERSION, event_type: eventType, payload }),
  );
}

// Keyed by event so tsc checks every entry's envelopes belong to its key.
const EXAMPLE_ENVELOPES: { readonly [K in BoardEventType]: readonly BoardEnvelopeOf<K>[] } = {
  backlog_reranked: envelopesOf("backlog_reranked"),
  baseline_activated: envelopesOf("baseline_activated"),
  dependency_accepted: envelopesOf("dependency_accepted"),
  phases_reordered: envelopesOf("phases_reordered"),
  risks_imported: envelopesOf("risks_imported"),
  roster_changed: envelopesOf("roster_changed"),
  slip_conflicts_updated: envelopesOf("slip_conflicts_updated"),
  sprint_retro_updated: envelopesOf("sprint_retro_updated"),
  task_created: envelopesOf("task_created"),
  task_updated: envelopesOf("task_updated"),
  task_deleted: envelopesOf("task_deleted"),
  tasks_bulk_mutated: envelopesOf("tasks_bulk_mutated"),
  tasks_reordered: envelopesOf("tasks_reordered"),
  tasks_restructured: envelopesOf("tasks_restructured"),
  task_run_started: envelopesOf("task_run_started"),
  task_run_progress: envelopesOf("task_run_progress"),
  task_run_completed: envelopesOf("task_run_completed"),
  task_run_failed: envelopesOf("task_run_failed"),
  task_run_cancelled: envelopesOf("task_run_cancelled"),
};

/** Every example envelope of the channel, as the discriminated union. */
const ALL_EXAMPLE_ENVELOPES: readonly BoardEnvelope[] = Object.values(EXAMPLE_ENVELOPES).flat();

/** Sends a message through JSON, as the WebSocket does. */
function overTheWire(message: unknown): unknown {
  return JSON.parse(JSON.stringify(message));
}

/** Dispatches and asserts the message was ignored: `false`, no throw, no handler call. */
function assertIgnored(handlerMap: BoardHandlers, message: unknown, label: string): void {
  calls.length = 0;
  let dispatched: boolean | undefined;
  assert.doesNotThrow(() => {
    dispatched = dispatchBoardEvent(handlerMap, message);
  }, `dispatch threw for ${label}`);
  assert.equal(dispatched, false, `dispatch returned ${String(dispatched)} for ${label}`);
  assert.deepEqual(calls, [], `a handler was called for ${label}`);
}

beforeEach(() => {
  calls.length = 0;
});

describe("channel constants", () => {
  test("PROTOCOL_VERSION and CHANNEL", () => {
    assert.equal(PROTOCOL_VERSION, 1);
    assert.equal(CHANNEL, "board");
  });
});

describe("BOARD_EVENT_TYPES and isBoardEventType", () => {
  test("lists 19 unique event types", () => {
    assert.equal(BOARD_EVENT_TYPES.length, 19);
    assert.equal(new Set(BOARD_EVENT_TYPES).size, 19);
  });

  test("matches the handler map and the examples exactly", () => {
    const sorted = [...BOARD_EVENT_TYPES].sort();
    assert.deepEqual(Object.keys(recordingHandlers).sort(), sorted);
    assert.deepEqual(Object.keys(BOARD_EXAMPLES).sort(), sorted);
  });

  test("isBoardEventType accepts every listed event type", () => {
    for (const eventType of BOARD_EVENT_TYPES) {
      assert.equal(isBoardEventType(eventType), true, eventType);
    }
  });

  test("isBoardEventType rejects everything else", () => {
    const others: unknown[] = [
      "task_exploded",
      "",
      "Task_Created",
      "task_created ",
      " task_created",
      "board",
      "__proto__",
      "constructor",
      "toString",
      "hasOwnProperty",
      "valueOf",
      "isPrototypeOf",
      "propertyIsEnumerable",
      "toLocaleString",
      "__defineGetter__",
      null,
      undefined,
      42,
      true,
      {},
      [],
      ["task_created"],
      Symbol("task_created"),
      new String("task_created"),
    ];
    for (const other of others) {
      assert.equal(isBoardEventType(other), false, String(other));
    }
  });
});

describe("dispatching every catalog example over the wire", () => {
  test("every event has at least one example", () => {
    for (const eventType of BOARD_EVENT_TYPES) {
      assert.ok(BOARD_EXAMPLES[eventType].length > 0, eventType);
    }
    assert.equal(
      ALL_EXAMPLE_ENVELOPES.length,
      BOARD_EVENT_TYPES.reduce((n, eventType) => n + BOARD_EXAMPLES[eventType].length, 0),
    );
  });

  for (const eventType of BOARD_EVENT_TYPES) {
    test(eventType, () => {
      const envelopes: readonly BoardEnvelope[] = EXAMPLE_ENVELOPES[eventType];
      const examples: readonly unknown[] = BOARD_EXAMPLES[eventType];
      assert.equal(envelopes.length, examples.length);
      envelopes.forEach((envelope, index) => {
        const label = `${eventType} example ${index}`;
        assert.equal(envelope.event_type, eventType, label);
        assert.equal(envelope.payload, examples[index], label);

        const received = overTheWire(envelope);
        calls.length = 0;
        assert.equal(dispatchBoardEvent(handlers, received), true, label);
        assert.equal(calls.length, 1, `${label}: handler calls`);
        const [call] = calls;
        assert.ok(call !== undefined);
        assert.equal(call.eventType, eventType, `${label}: handler`);
        assert.deepEqual(call.payload, examples[index], `${label}: payload`);
        assert.deepEqual(call.envelope, envelope, `${label}: envelope`);
        // The handler gets the parsed message itself, not a copy.
        assert.equal(call.envelope, received, `${label}: envelope identity`);
        assert.equal(call.payload, (received as { payload: unknown }).payload, `${label}: payload identity`);
      });
    });
  }

  test("the envelope's JSON text is the documented wire shape", () => {
    const [envelope] = EXAMPLE_ENVELOPES.task_created;
    assert.ok(envelope !== undefined);
    assert.equal(
      JSON.stringify(envelope),
      // The payload's keys in the catalog's order, as the server writes them.
      '{"protocol_version":1,"event_type":"task_created","payload":{"task_id":4812,"phase_id":37}}',
    );
  });
});

describe("messages that are not envelopes of a known event are ignored", () => {
  const [validEnvelope] = EXAMPLE_ENVELOPES.task_created;
  assert.ok(validEnvelope !== undefined);
  const validPayload = validEnvelope.payload;

  test("unknown event types (a newer server)", () => {
    assertIgnored(handlers, { protocol_version: 1, event_type: "task_exploded", payload: {} }, "task_exploded");
    assertIgnored(
      handlers,
      overTheWire({ protocol_version: 1, event_type: "task_exploded", payload: validPayload }),
      "task_exploded with a payload",
    );
    for (const eventType of ["", "Task_Created", "task_created ", "board"]) {
      assertIgnored(handlers, { protocol_version: 1, event_type: eventType, payload: validPayload }, JSON.stringify(eventType));
    }
  });

  test("prototype keys as event types", () => {
    for (const eventType of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"]) {
      assertIgnored(handlers, { protocol_version: 1, event_type: eventType, payload: {} }, eventType);
      assertIgnored(
        handlers,
        overTheWire({ protocol_version: 1, event_type: eventType, payload: validPayload }),
        `${eventType} over the wire`,
      );
    }
  });

  test("prototype keys parsed from JSON text", () => {
    for (const text of [
      '{"protocol_version":1,"event_type":"__proto__","payload":{}}',
      '{"protocol_version":1,"event_type":"constructor","payload":{}}',
      '{"protocol_version":1,"event_type":"toString","payload":{}}',
      '{"protocol_version":1,"event_type":"hasOwnProperty","payload":{}}',
      '{"protocol_version":1,"event_type":"valueOf","payload":{}}',
      // JSON.parse makes "__proto__" an own key, not the prototype.
      '{"__proto__":{"event_type":"task_created","payload":{"task_id":1,"phase_id":null}}}',
    ]) {
      assertIgnored(handlers, JSON.parse(text), text);
    }
  });

  test("non-objects", () => {
    const messages: [string, unknown][] = [
      ["null", null],
      ["undefined", undefined],
      ["42", 42],
      ["0", 0],
      ['"x"', "x"],
      ["the envelope's unparsed JSON text", JSON.stringify(validEnvelope)],
      ["true", true],
      ["a symbol", Symbol("task_created")],
      ["a function", () => undefined],
      ["[]", []],
      ["[envelope]", [validEnvelope]],
      ["[event_type, payload]", ["task_created", validPayload]],
      ['JSON "null"', JSON.parse("null")],
      ['JSON "[]"', JSON.parse("[]")],
    ];
    for (const [label, message] of messages) {
      assertIgnored(handlers, message, label);
    }
  });

  test("envelopes with a missing or non-object payload", () => {
    const payloads: [string, unknown][] = [
      ["null", null],
      ["42", 42],
      ['"x"', "x"],
      ["true", true],
      ["the payload's JSON text", JSON.stringify(validPayload)],
      ["[]", []],
      ["[payload]", [validPayload]],
    ];
    assertIgnored(handlers, { protocol_version: 1, event_type: "task_created" }, "no payload");
    assertIgnored(handlers, { protocol_version: 1, event_type: "task_created", payload: undefined }, "payload undefined");
    assertIgnored(handlers, overTheWire({ protocol_version: 1, event_type: "task_created" }), "no payload over the wire");
    for (const [label, payload] of payloads) {
      assertIgnored(handlers, { protocol_version: 1, event_type: "task_created", payload }, `payload ${label}`);
      assertIgnored(
        handlers,
        overTheWire({ protocol_version: 1, event_type: "task_created", payload }),
        `payload ${label} over the wire`,
      );
    }
  });

  test("envelopes with a missing or non-string event type", () => {
    for (const eventType of [undefined, null, 42, true, {}, ["task_created"]]) {
      assertIgnored(handlers, { protocol_version: 1, event_type: eventType, payload: validPayload }, String(eventType));
    }
    assertIgnored(handlers, { protocol_version: 1, payload: validPayload }, "no event_type");
    assertIgnored(handlers, {}, "{}");
  });

  test("a handler map with entries missing at run time (e.g. built in JavaScript)", () => {
    const partial = { task_updated: recordingHandlers.task_updated } as unknown as BoardHandlers;
    assertIgnored(partial, overTheWire(validEnvelope), "missing task_created entry");
  });
});

describe("IGNORE", () => {
  test("an IGNORE entry makes dispatch return false without calling anything", () => {
    const ignoringTaskCreated = defineBoardHandlers({ ...recordingHandlers, task_created: IGNORE });
    for (const envelope of EXAMPLE_ENVELOPES.task_created) {
      assertIgnored(ignoringTaskCreated, overTheWire(envelope), "task_created ignored");
    }
    // The other entries still dispatch.
    const [updated] = EXAMPLE_ENVELOPES.task_updated;
    assert.ok(updated !== undefined);
    calls.length = 0;
    assert.equal(dispatchBoardEvent(ignoringTaskCreated, overTheWire(updated)), true);
    assert.deepEqual(
      calls.map((call) => call.eventType),
      ["task_updated"],
    );
  });

  test("a map that ignores every event dispatches nothing", () => {
    const ignoreAll = Object.fromEntries(BOARD_EVENT_TYPES.map((eventType) => [eventType, IGNORE])) as BoardHandlers;
    for (const envelope of ALL_EXAMPLE_ENVELOPES) {
      assertIgnored(ignoreAll, overTheWire(envelope), `${envelope.event_type} ignored`);
    }
  });

  test("IGNORE is a symbol", () => {
    assert.equal(typeof IGNORE, "symbol");
  });
});

describe("validated receive", () => {
  const wire = (payload: unknown, eventType = "task_created"): unknown =>
    decodeBoardEvent(JSON.stringify({ protocol_version: 1, event_type: eventType, payload }));

  test("parseBoardEvent returns the typed message, or the first failure's pointer and keyword", () => {
    const valid = parseBoardEvent(wire({ task_id: 4812, phase_id: 37 }));
    assert.ok(valid.ok);
    assert.equal(valid.message.event_type, "task_created");
    const cases: readonly [unknown, BoardValidationError][] = [
      [{ task_id: "oops", phase_id: 37 }, { pointer: "/payload/task_id", keyword: "type", expected: "integer" }],
      [{ task_id: null, phase_id: 37 }, { pointer: "/payload/task_id", keyword: "type", expected: "integer" }],
      [{ task_id: 0, phase_id: 37 }, { pointer: "/payload/task_id", keyword: "minimum", expected: "1" }],
      [{ task_id: 1.5, phase_id: 37 }, { pointer: "/payload/task_id", keyword: "type", expected: "integer" }],
      [{ task_id: 9007199254740992, phase_id: 37 }, { pointer: "/payload/task_id", keyword: "maximum", expected: "9007199254740991" }],
      [{ phase_id: 37 }, { pointer: "/payload", keyword: "required", expected: "task_id" }],
      [{ task_id: 1, phase_id: 37, extra: 1 }, { pointer: "/payload/extra", keyword: "additionalProperties", expected: "no property of this name" }],
    ];
    for (const [payload, error] of cases) {
      assert.deepEqual(parseBoardEvent(wire(payload)), { ok: false, error }, JSON.stringify(payload));
    }
    assert.deepEqual(parseBoardEvent("text"), { ok: false, error: { pointer: "", keyword: "type", expected: "object" } });
    assert.equal(parseBoardEvent(wire({}, "task_exploded")).ok, false);
  });

  test("a prototype key in a payload is an extra key, not a pollution", () => {
    const message = decodeBoardEvent('{"protocol_version":1,"event_type":"task_created","payload":{"task_id":1,"phase_id":2,"__proto__":{"x":1}}}');
    const parsed = parseBoardEvent(message);
    assert.deepEqual(parsed, { ok: false, error: { pointer: "/payload/__proto__", keyword: "additionalProperties", expected: "no property of this name" } });
    assert.equal(({} as { x?: unknown }).x, undefined);
  });

  test("dispatch validates first: an invalid message reaches onInvalid, never a handler", () => {
    const rejected: [BoardValidationError, unknown][] = [];
    const onInvalid = (error: BoardValidationError, message: unknown): void => {
      rejected.push([error, message]);
    };
    calls.length = 0;
    const bad = wire({ task_id: "oops", phase_id: 37 });
    assert.equal(dispatchBoardEvent(handlers, bad, { onInvalid }), false);
    assert.equal(calls.length, 0);
    assert.deepEqual(rejected, [[{ pointer: "/payload/task_id", keyword: "type", expected: "integer" }, bad]]);
    // Unknown types are a newer server, not an attack: ignored quietly.
    assert.equal(dispatchBoardEvent(handlers, wire({}, "task_exploded"), { onInvalid }), false);
    assert.equal(rejected.length, 1);
    // A trusted source skips the checks.
    assert.equal(dispatchBoardEvent(handlers, bad, { trusted: true }), true);
    assert.equal(calls.length, 1);
  });

  test("type guards check every keyword", () => {
    assert.equal(isTaskCreatedPayload({ task_id: 1, phase_id: 2 }), true);
    assert.equal(isTaskCreatedPayload({ task_id: 0, phase_id: 2 }), false);
    assert.equal(isTaskCreatedPayload({ task_id: 1 }), false);
    assert.equal(isTaskCreatedPayload(null), false);
  });
});
