// sse/bus.ts: the SSE connection registry and broadcast helper. Per-board
// connection sets, plus the wildcard '*' channel: a message whose `fan_out`
// attribute is `global` (agent events) goes to every connection.

import type { ServerResponse } from "node:http";
import { BOARD_EVENT_ATTRIBUTES, type BoardEnvelope } from "../generated/board.js";

const channels = new Map<string, Set<ServerResponse>>();

export function add(boardId: string, res: ServerResponse): void {
  let connections = channels.get(boardId);
  if (connections === undefined) {
    connections = new Set();
    channels.set(boardId, connections);
  }
  connections.add(res);
}

export function remove(boardId: string, res: ServerResponse): void {
  const connections = channels.get(boardId);
  connections?.delete(res);
  if (connections?.size === 0) {
    channels.delete(boardId);
  }
}

/** Writes one SSE event, named after the message type; its data is the `{type, payload}` envelope. */
export function sendEvent(res: ServerResponse, message: BoardEnvelope): void {
  res.write(`event: ${message.type}\ndata: ${JSON.stringify(message)}\n\n`);
}

/** Sends a message to a board's streams, or to every stream when it fans out globally. */
export function broadcast(boardId: string, message: BoardEnvelope): void {
  const global = BOARD_EVENT_ATTRIBUTES[message.type].fan_out === "global";
  const targets = global ? [...channels.values()] : [channels.get(boardId) ?? new Set()];
  for (const connections of targets) {
    for (const res of connections) {
      sendEvent(res, message);
    }
  }
}
