// End to end over a real WebSocket: the Rust demo server (board-server's
// `demo` example) broadcasts every example payload of the catalog, serialized
// by the generated Rust crate; this client parses each message and dispatches
// it through the generated TypeScript handler map. Every example must reach
// its own handler, in catalog order, with the same payload.
//
// Builds nothing: build the server first (`cargo build -p board-server
// --example demo`), or point BOARD_SERVER_BIN at the binary.

import assert from "node:assert/strict";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

import { BOARD_EVENT_TYPES, PROTOCOL_VERSION } from "../../../generated/ts/board.js";
import { BOARD_EXAMPLES } from "../../../generated/ts/board.examples.js";
import { connectBoard } from "./client.js";
import { createBoardHandlers } from "./handlers.js";
import { BoardStore } from "./store.js";

// This file runs from dist/examples/board-client/src/ under examples/board-client/.
const repoRoot = fileURLToPath(new URL("../../../../../../", import.meta.url));
const targetDir = path.resolve(repoRoot, process.env["CARGO_TARGET_DIR"] ?? "target");
const serverBin =
  process.env["BOARD_SERVER_BIN"] ??
  path.join(targetDir, "debug", "examples", process.platform === "win32" ? "demo.exe" : "demo");

type Server = ChildProcessByStdio<null, Readable, Readable>;
let server: Server | undefined;

after(() => {
  if (server !== undefined && server.exitCode === null && server.signalCode === null) {
    server.kill("SIGKILL");
  }
});

/** The port from the server's `listening on 127.0.0.1:<port>` line. */
function readPort(child: Server, exited: Promise<unknown>, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const match = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
      if (match?.[1] !== undefined) {
        resolve(Number(match[1]));
      }
    });
    void exited.then(() => reject(new Error(`the server exited before it listened; its stderr:\n${stderr()}`)));
  });
}

test("every catalog example reaches its handler, in catalog order, over a real WebSocket", { timeout: 30_000 }, async () => {
  assert.ok(
    existsSync(serverBin),
    `no server binary at ${serverBin}: run \`cargo build -p board-server --example demo\` or set BOARD_SERVER_BIN`,
  );
  const child: Server = spawn(serverBin, ["--port", "0", "--timeout-secs", "20"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

  const port = await readPort(child, exited, () => stderr);
  const store = new BoardStore();
  const connection = await connectBoard(`ws://127.0.0.1:${port}/ws`, createBoardHandlers(store));
  const closed = await connection.closed;

  const expected = BOARD_EVENT_TYPES.flatMap((eventType) =>
    BOARD_EXAMPLES[eventType].map((payload) => ({
      handler: eventType,
      envelope: { protocol_version: PROTOCOL_VERSION, event_type: eventType, payload },
    })),
  );
  assert.ok(expected.length >= BOARD_EVENT_TYPES.length, "every event has at least one example");
  assert.deepEqual(store.handled, expected);
  assert.deepEqual(connection.skipped, [], "every message reached a handler");
  assert.deepEqual(closed, { code: 1000, reason: "server closing" }, "the server closes normally");
  assert.deepEqual(await exited, { code: 0, signal: null }, `the server exits 0; its stderr:\n${stderr}`);
});
