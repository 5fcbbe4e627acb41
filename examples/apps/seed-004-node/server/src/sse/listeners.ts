// sse/listeners.ts: domain events to SSE messages. Each listener broadcasts
// one message literal whose `type` names the event, checked by tsc against
// the generated `BoardEnvelope` and by `eventcat check` against the catalog.

import type { AttemptStatus } from "../generated/board.js";
import { broadcast } from "./bus.js";

export interface Attempt {
  id: string;
  boardId: string;
  cardId: string;
}

export function onAttemptStarted(attempt: Attempt): void {
  broadcast(attempt.boardId, {
    type: "attempt_started",
    payload: { attemptId: attempt.id, cardId: attempt.cardId },
  });
}

export function onAttemptStatusChanged(attempt: Attempt, status: AttemptStatus): void {
  broadcast(attempt.boardId, {
    type: "attempt_status",
    payload: { attemptId: attempt.id, cardId: attempt.cardId, status },
  });
}

export function onAttemptLogAppended(attempt: Attempt, level: "info" | "warn" | "error", message: string): void {
  broadcast(attempt.boardId, {
    type: "attempt_log",
    payload: { attemptId: attempt.id, level, message, ts: new Date().toISOString() },
  });
}

export function onGitCommitCreated(attempt: Attempt, shortSha: string, subject: string): void {
  broadcast(attempt.boardId, {
    type: "git_commit",
    payload: { attemptId: attempt.id, shortSha, subject, ts: new Date().toISOString() },
  });
}

export function onAgentRegistered(agent: string, label: string | null): void {
  broadcast("*", { type: "agent_registered", payload: { agent, label } });
}
