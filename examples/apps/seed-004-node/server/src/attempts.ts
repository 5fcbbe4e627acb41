// attempts.ts: a stand-in for the agent runner, calling the listeners as an
// attempt goes through its lifecycle.

import {
  type Attempt,
  onAttemptLogAppended,
  onAttemptStarted,
  onAttemptStatusChanged,
  onGitCommitCreated,
} from "./sse/listeners.js";

export function runAttempt(boardId: string, cardId: string): Attempt {
  const attempt: Attempt = { id: `att-${Date.now()}`, boardId, cardId };
  onAttemptStarted(attempt);
  onAttemptStatusChanged(attempt, "running");
  onAttemptLogAppended(attempt, "info", "Cloning the worktree");
  onGitCommitCreated(attempt, "3f6c2a1", "Add registration endpoint");
  onAttemptStatusChanged(attempt, "succeeded");
  return attempt;
}
