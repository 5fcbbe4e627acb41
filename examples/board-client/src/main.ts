// `npm start [-- ws://127.0.0.1:3000/ws]`: connects to board-server and prints
// each event as its handler sees it, until the server closes the connection.

import { connectBoard } from "./client.js";
import { createBoardHandlers } from "./handlers.js";
import { BoardStore } from "./store.js";

const url = process.argv[2] ?? "ws://127.0.0.1:3000/ws";
const store = new BoardStore(({ handler, envelope }) => {
  console.log(`${handler.padEnd(22)} ${JSON.stringify(envelope.payload)}`);
});
const handlers = createBoardHandlers(store);

try {
  const connection = await connectBoard(url, handlers);
  console.error(`connected to ${url}`);
  const { code, reason } = await connection.closed;
  console.error(`closed (${code}${reason ? `: ${reason}` : ""}) after ${store.handled.length} events`);
  console.error(`to refetch: ${[...store.stale].sort().join(", ") || "nothing"}`);
} catch (error) {
  console.error(`cannot connect to ${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
