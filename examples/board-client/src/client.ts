// Connects to the board channel with the `ws` package and hands every message
// to the generated code: decodeBoardEvent(text), then dispatchBoardEvent(handlers, message).

import WebSocket from "ws";

import { decodeBoardEvent, dispatchBoardEvent, type BoardHandlers } from "../../../generated/ts/board.js";

/** How a connection ended. */
export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** Why a message reached no handler. */
export type SkipReason = "binary" | "not-json" | "invalid" | "not-handled";

export interface BoardConnection {
  /** Resolves when the connection has closed. */
  readonly closed: Promise<Closed>;
  /** Messages that reached no handler: not text, not JSON, breaking the catalog's schemas, or not an envelope of a known event (a newer server). */
  readonly skipped: readonly { readonly reason: SkipReason; readonly text: string }[];
  close(): void;
}

/** Opens a connection; resolves once it is open, rejects if it cannot open. */
export function connectBoard(url: string, handlers: BoardHandlers): Promise<BoardConnection> {
  const socket = new WebSocket(url);
  const skipped: { reason: SkipReason; text: string }[] = [];
  const closed = new Promise<Closed>((resolve) => {
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") }));
  });

  socket.on("message", (data, isBinary) => {
    const text = toText(data);
    if (isBinary) {
      skipped.push({ reason: "binary", text });
      return;
    }
    let message: unknown;
    try {
      message = decodeBoardEvent(text);
    } catch {
      skipped.push({ reason: "not-json", text });
      return;
    }
    let invalid = false;
    const onInvalid = (): void => {
      invalid = true;
    };
    if (!dispatchBoardEvent(handlers, message, { onInvalid })) {
      skipped.push({ reason: invalid ? "invalid" : "not-handled", text });
    }
  });

  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once("error", onError);
    socket.once("open", () => {
      socket.off("error", onError);
      // After opening, errors end in a close event; keep them from throwing.
      socket.on("error", () => {});
      resolve({ closed, skipped, close: () => socket.close(1000) });
    });
  });
}

function toText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString("utf8");
  }
  if (data instanceof ArrayBuffer) {
    return Buffer.from(data).toString("utf8");
  }
  return data.toString("utf8");
}
