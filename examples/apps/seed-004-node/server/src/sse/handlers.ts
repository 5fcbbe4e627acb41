// sse/handlers.ts: the board stream. Validates `boardId`, sends `hello`,
// then a `heartbeat` every 15 s until the client goes away.

import type { IncomingMessage, ServerResponse } from "node:http";
import { add, remove, sendEvent } from "./bus.js";

export const HEARTBEAT_MS = 15_000;

export function boardStream(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  const boardId = url.searchParams.get("boardId");
  if (!boardId) {
    res.writeHead(400, { "content-type": "text/plain" }).end("boardId is required\n");
    return;
  }
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  add(boardId, res);
  sendEvent(res, { type: "hello", payload: { serverTime: new Date().toISOString() } });
  const timer = setInterval(() => {
    sendEvent(res, { type: "heartbeat", payload: { ts: new Date().toISOString() } });
  }, HEARTBEAT_MS);
  req.on("close", () => {
    clearInterval(timer);
    remove(boardId, res);
  });
}
