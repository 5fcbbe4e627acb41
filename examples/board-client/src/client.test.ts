// The client against a scripted in-process `ws` server on 127.0.0.1: messages
// that are not envelopes of a known event reach no handler and do not throw.

import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { test } from "node:test";

import { WebSocketServer } from "ws";

import { PROTOCOL_VERSION } from "../../../generated/ts/board.js";
import { connectBoard } from "./client.js";
import { createBoardHandlers } from "./handlers.js";
import { BoardStore } from "./store.js";

/** Serves one connection that receives `messages`, then a normal close. */
async function scriptedServer(messages: readonly (string | Buffer)[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  server.on("connection", (socket) => {
    for (const message of messages) {
      socket.send(message, { binary: Buffer.isBuffer(message) });
    }
    socket.close(1000, "done");
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const envelope = (eventType: string, payload: unknown): string =>
  JSON.stringify({ protocol_version: PROTOCOL_VERSION, event_type: eventType, payload });

/** A task run's id, a UUID as the catalog requires. */
const RUN = "0b6c5a52-4f1e-4d3c-9a7b-2e8f1c6d9a10";

test("unknown events, non-JSON, binary and invalid messages are skipped; known ones are handled", { timeout: 10_000 }, async () => {
  const messages = [
    envelope("task_exploded", { task_id: 1 }),
    "{not json",
    Buffer.from(envelope("task_created", { task_id: 1, phase_id: null })),
    envelope("__proto__", {}),
    JSON.stringify([1, 2, 3]),
    envelope("task_run_started", { task_run_id: RUN, task_id: 9, started_at: "2026-03-14T09:26:53Z" }),
    envelope("task_run_progress", { task_run_id: RUN, task_id: 9, percent: 40 }),
    // Off the wire but against the schema (`task_run_id` is a UUID): dropped.
    envelope("task_run_progress", { task_run_id: "r-1", task_id: 9, percent: 40 }),
    envelope("task_deleted", { task_id: 4700, subtask_ids: [4701, 4702] }),
  ];
  const server = await scriptedServer(messages);
  try {
    const store = new BoardStore();
    const connection = await connectBoard(server.url, createBoardHandlers(store));
    assert.deepEqual(await connection.closed, { code: 1000, reason: "done" });
    assert.deepEqual(
      store.handled.map((event) => event.handler),
      ["task_run_started", "task_run_progress", "task_deleted"],
    );
    assert.deepEqual(
      connection.skipped.map((skip) => skip.reason),
      ["not-handled", "not-json", "binary", "not-handled", "invalid", "invalid"],
    );
    assert.deepEqual(store.runs.get(RUN), { taskId: 9, status: "running", percent: 40, message: null });
    assert.deepEqual([...store.deletedTasks], [4700, 4701, 4702]);
  } finally {
    await server.stop();
  }
});

test("a server that is not there is a rejected connect, not a crash", { timeout: 10_000 }, async () => {
  const server = await scriptedServer([]);
  const url = server.url;
  await server.stop();
  const store = new BoardStore();
  await assert.rejects(connectBoard(url, createBoardHandlers(store)));
});
