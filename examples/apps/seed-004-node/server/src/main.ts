// main.ts: GET /sse/board?boardId=... opens a board stream; POST
// /boards/:boardId/cards/:cardId/attempts runs an attempt; POST
// /agents/:agent registers an agent (broadcast to every stream).

import { createServer } from "node:http";
import { runAttempt } from "./attempts.js";
import { boardStream } from "./sse/handlers.js";
import { onAgentRegistered } from "./sse/listeners.js";

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const attempt = /^\/boards\/([^/]+)\/cards\/([^/]+)\/attempts$/.exec(url.pathname);
  const agent = /^\/agents\/([^/]+)$/.exec(url.pathname);
  if (req.method === "GET" && url.pathname === "/sse/board") {
    boardStream(req, res);
  } else if (req.method === "POST" && attempt?.[1] !== undefined && attempt[2] !== undefined) {
    const started = runAttempt(attempt[1], attempt[2]);
    res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: started.id }));
  } else if (req.method === "POST" && agent?.[1] !== undefined) {
    onAgentRegistered(agent[1], url.searchParams.get("label"));
    res.writeHead(204).end();
  } else {
    res.writeHead(404).end();
  }
});

const port = Number(process.env["PORT"] ?? 8787);
server.listen(port, () => {
  console.log(`board SSE on http://localhost:${port}/sse/board?boardId=...`);
});
