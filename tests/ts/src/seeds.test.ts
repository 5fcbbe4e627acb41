// Runtime tests of the generated TypeScript of seeds 001 (WebSocket board
// channel with commands) and 004 (Server-Sent Events board and dashboard
// channels), from examples/seed-00N/generated/.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  BOARD_COMMAND_TYPES,
  BOARD_EVENT_ATTRIBUTES,
  IGNORE as IGNORE_001,
  defineBoardHandlers as defineBoardHandlers001,
  dispatchBoardEvent as dispatchBoardEvent001,
  encodeBoardCommand,
  sendBoardCommand,
  type BoardCommandSocket,
  type BoardEnvelope as BoardEnvelope001,
  type BoardHandlers as BoardHandlers001,
} from "../../../examples/seed-001/generated/board/ts/board.js";
import { BOARD_COMMAND_EXAMPLES } from "../../../examples/seed-001/generated/board/ts/board.examples.js";
import {
  BOARD_EVENT_TYPES as BOARD_EVENT_TYPES_004,
  IGNORE as IGNORE_004,
  dispatchBoardSseEvent,
  subscribeBoardSse,
  type BoardEventType as BoardEventType004,
  type BoardHandlers as BoardHandlers004,
  type BoardSseMessage,
  type BoardSseSource,
} from "../../../examples/seed-004/generated/board/ts/board.js";
import {
  IGNORE as IGNORE_004_DASHBOARD,
  dispatchDashboardSseEvent,
  subscribeDashboardSse,
  type DashboardHandlers as DashboardHandlers004,
} from "../../../examples/seed-004/generated/dashboard/ts/dashboard.js";

/** A socket that records what is sent. */
class FakeSocket implements BoardCommandSocket {
  readonly sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
  }
}

describe("seed 001: board commands", () => {
  test("sendBoardCommand writes the exact wire JSON", () => {
    const socket = new FakeSocket();
    sendBoardCommand(socket, "move_card", { cardId: "card-2", toColumnId: "col-inprogress", toIndex: 0 });
    sendBoardCommand(socket, "get_state", {});
    sendBoardCommand(socket, "ping", { ts: "2025-11-08T14:30:50.000Z" });
    sendBoardCommand(socket, "update_card", { cardId: "card-2", ticketType: null });
    assert.deepEqual(socket.sent, [
      '{"type":"move_card","payload":{"cardId":"card-2","toColumnId":"col-inprogress","toIndex":0}}',
      // omit_empty_payload: an empty payload is left out, as upstream sends it.
      '{"type":"get_state"}',
      '{"type":"ping","payload":{"ts":"2025-11-08T14:30:50.000Z"}}',
      '{"type":"update_card","payload":{"cardId":"card-2","ticketType":null}}',
    ]);
  });

  test("every command example encodes as {type, payload}, an empty payload as {type}", () => {
    for (const type of BOARD_COMMAND_TYPES) {
      for (const payload of BOARD_COMMAND_EXAMPLES[type]) {
        const expected = Object.keys(payload).length === 0 ? { type } : { type, payload };
        assert.deepEqual(JSON.parse(encodeBoardCommand(type, payload as never)), expected);
      }
    }
    assert.deepEqual([...BOARD_COMMAND_TYPES], ["get_state", "ping", "pong", "create_card", "move_card", "update_card", "delete_card"]);
  });

  test("dispatch calls the handler of an incoming message, ignores the rest", () => {
    const seen: string[] = [];
    const handlers: BoardHandlers001 = defineBoardHandlers001({
      hello: (payload) => seen.push(`hello ${payload.serverTime}`),
      state: (payload) => seen.push(`state ${payload.columnOrder.join(",")}`),
      attempt_started: (payload, envelope) => seen.push(`${envelope.type} ${payload.attemptId} ${payload.cardId}`),
      attempt_status: (payload) => seen.push(`status ${payload.status}`),
      attempt_log: IGNORE_001,
      conversation_item: IGNORE_001,
      attempt_session: IGNORE_001,
      attempt_todos: (payload) => seen.push(`todos ${payload.todos.completed}/${payload.todos.total}`),
      attempt_pr: IGNORE_001,
      git_status: () => seen.push("git_status"),
      git_commit: IGNORE_001,
      git_push: IGNORE_001,
      agent_profile: (payload) => seen.push(`profile ${payload.kind} ${payload.label ?? "-"}`),
      agent_registered: (payload) => seen.push(`registered ${payload.agent} ${payload.label ?? "-"}`),
    });
    const wire: string[] = [
      '{"type":"hello","payload":{"serverTime":"2025-11-08T14:30:45.123Z"}}',
      '{"type":"attempt_started","payload":{"attemptId":"att-1","cardId":"card-1"}}',
      '{"type":"attempt_status","payload":{"attemptId":"att-1","cardId":"card-1","status":"running"}}',
      '{"type":"attempt_todos","payload":{"attemptId":"att-1","todos":{"total":2,"completed":1,"items":[]}}}',
      '{"type":"git_status","payload":{}}',
      '{"type":"agent_registered","payload":{"agent":"CODEX","label":null}}',
    ];
    for (const text of wire) {
      assert.equal(dispatchBoardEvent001(handlers, JSON.parse(text)), true, text);
    }
    // Ignored, unknown, commands echoed back, payload-less and non-envelopes: no handler runs.
    const ignored: unknown[] = [
      { type: "attempt_log", payload: { attemptId: "att-1", level: "info", message: "x", ts: "2025-11-08T14:31:02.000Z" } },
      { type: "card_moved", payload: {} },
      { type: "get_state", payload: {} },
      { type: "git:status" },
      { type: "__proto__", payload: {} },
      null,
      "hello",
      [],
    ];
    for (const message of ignored) {
      assert.equal(dispatchBoardEvent001(handlers, message), false, JSON.stringify(message));
    }
    assert.deepEqual(seen, [
      "hello 2025-11-08T14:30:45.123Z",
      "attempt_started att-1 card-1",
      "status running",
      "todos 1/2",
      "git_status",
      "registered CODEX -",
    ]);
    // An envelope literal of the generated type.
    const hello: BoardEnvelope001 = { type: "hello", payload: { serverTime: "2025-11-08T14:30:45.123Z" } };
    assert.equal(hello.type, "hello");
    assert.equal(BOARD_EVENT_ATTRIBUTES.agent_registered.fan_out, "global");
  });
});

/** A fake EventSource: records listeners, lets the test emit named events. */
class FakeEventSource implements BoardSseSource {
  readonly listeners = new Map<string, Set<(event: BoardSseMessage) => void>>();
  addEventListener(type: string, listener: (event: BoardSseMessage) => void): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }
  removeEventListener(type: string, listener: (event: BoardSseMessage) => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  /** Delivers an event as EventSource does: to the listeners of its name. */
  emit(type: string, data: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) {
      listener({ type, data });
    }
  }
  count(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}

/** Board handlers of seed 004 that record `type payload-json`. */
function recordingBoard004(seen: string[]): BoardHandlers004 {
  const record = (type: BoardEventType004) => (payload: unknown) => {
    seen.push(`${type} ${JSON.stringify(payload)}`);
  };
  return {
    hello: record("hello"),
    state: record("state"),
    heartbeat: record("heartbeat"),
    attempt_started: record("attempt_started"),
    attempt_status: record("attempt_status"),
    attempt_log: record("attempt_log"),
    conversation_item: record("conversation_item"),
    attempt_session: record("attempt_session"),
    attempt_todos: record("attempt_todos"),
    attempt_pr: record("attempt_pr"),
    git_status: record("git_status"),
    git_commit: record("git_commit"),
    git_push: record("git_push"),
    agent_profile: record("agent_profile"),
    agent_registered: IGNORE_004,
  };
}

describe("seed 004: SSE", () => {
  test("subscribeBoardSse dispatches named events and ignores mismatched or malformed ones", () => {
    const seen: string[] = [];
    const source = new FakeEventSource();
    const stop = subscribeBoardSse(source, recordingBoard004(seen));
    // One listener per event type, plus unnamed `message` events.
    assert.deepEqual([...source.listeners.keys()].sort(), ["message", ...BOARD_EVENT_TYPES_004].sort());

    source.emit("hello", '{"type":"hello","payload":{"serverTime":"2025-11-08T14:30:45.123Z"}}');
    source.emit("heartbeat", '{"type":"heartbeat","payload":{}}');
    source.emit("message", '{"type":"git_status","payload":{}}');
    source.emit("attempt_status", '{"type":"attempt_status","payload":{"attemptId":"att-1","status":"failed"}}');
    // Mismatched name, malformed JSON, non-string data, unknown type, ignored event, no payload.
    source.emit("hello", '{"type":"heartbeat","payload":{}}');
    source.emit("state", "{not json");
    source.emit("state", { type: "state", payload: {} });
    source.emit("message", '{"type":"card_moved","payload":{}}');
    source.emit("agent_registered", '{"type":"agent_registered","payload":{"agent":"CODEX","label":null}}');
    source.emit("git_status", '{"type":"git_status"}');
    source.emit("git_status", "");

    assert.deepEqual(seen, [
      'hello {"serverTime":"2025-11-08T14:30:45.123Z"}',
      "heartbeat {}",
      "git_status {}",
      'attempt_status {"attemptId":"att-1","status":"failed"}',
    ]);
    stop();
    assert.equal(source.count(), 0);
    source.emit("hello", '{"type":"hello","payload":{"serverTime":"2025-11-08T14:30:45.123Z"}}');
    assert.equal(seen.length, 4);
  });

  test("dispatchBoardSseEvent and dispatchDashboardSseEvent", () => {
    const seen: string[] = [];
    const board = recordingBoard004(seen);
    assert.equal(
      dispatchBoardSseEvent(board, { type: "git_push", data: '{"type":"git_push","payload":{"attemptId":"","remote":"origin","branch":"main","ts":"2025-11-08T14:41:00.000Z"}}' }),
      true,
    );
    assert.equal(dispatchBoardSseEvent(board, { type: "git_commit", data: '{"type":"git_push","payload":{}}' }), false);
    assert.equal(dispatchBoardSseEvent(board, { type: "git_push", data: "[]" }), false);
    assert.equal(dispatchBoardSseEvent(board, { type: "git_push", data: 42 }), false);
    assert.deepEqual(seen, ['git_push {"attemptId":"","remote":"origin","branch":"main","ts":"2025-11-08T14:41:00.000Z"}']);

    const overviews: string[] = [];
    const dashboard: DashboardHandlers004 = {
      // Each generated module has its own IGNORE symbol.
      hello: IGNORE_004_DASHBOARD,
      heartbeat: IGNORE_004_DASHBOARD,
      dashboard_overview: (payload) => overviews.push(payload.generatedAt),
    };
    const overview =
      '{"type":"dashboard_overview","payload":{"timeRange":{"preset":"last_24h"},"generatedAt":"2025-11-08T14:30:45.200Z","metrics":{"byKey":{}},"activeAttempts":[],"recentAttemptActivity":[],"inboxItems":{"review":[],"failed":[],"stuck":[]},"projectSnapshots":[],"agentStats":[]}}';
    assert.equal(dispatchDashboardSseEvent(dashboard, { type: "dashboard_overview", data: overview }), true);
    assert.equal(dispatchDashboardSseEvent(dashboard, { type: "heartbeat", data: '{"type":"heartbeat","payload":{}}' }), false);
    const source = new FakeEventSource();
    const stop = subscribeDashboardSse(source, dashboard);
    source.emit("dashboard_overview", overview);
    source.emit("hello", overview);
    stop();
    assert.deepEqual(overviews, ["2025-11-08T14:30:45.200Z", "2025-11-08T14:30:45.200Z"]);
  });
});
