// The client's handler map: one handler per board event, checked by the
// generated `defineBoardHandlers` (a missing handler, or one for an event the
// catalog does not have, fails `tsc`). Each handler records what it got and
// updates the store the way the event's description asks.

import { defineBoardHandlers, type BoardHandlers } from "../../../generated/ts/board.js";
import type { BoardStore } from "./store.js";

export function createBoardHandlers(store: BoardStore): BoardHandlers {
  return defineBoardHandlers({
    backlog_reranked: (payload, envelope) => {
      store.record("backlog_reranked", envelope);
      store.refetch("backlog", payload.project_id);
    },
    baseline_activated: (payload, envelope) => {
      store.record("baseline_activated", envelope);
      store.refetch("baseline", payload.baseline_id);
      store.refetch("slip_figures");
    },
    dependency_accepted: (payload, envelope) => {
      store.record("dependency_accepted", envelope);
      store.refetch("dependency", payload.dependency_id);
      store.refetch("schedule", payload.predecessor_task_id, payload.successor_task_id);
    },
    phases_reordered: (payload, envelope) => {
      store.record("phases_reordered", envelope);
      store.refetch("phase_order", payload.project_id);
    },
    risks_imported: (payload, envelope) => {
      store.record("risks_imported", envelope);
      store.refetch("risk", ...payload.risk_ids);
    },
    roster_changed: (payload, envelope) => {
      store.record("roster_changed", envelope);
      store.rosters.set(payload.sprint_id, payload.member_ids);
      store.refetch("capacity", payload.sprint_id);
    },
    slip_conflicts_updated: (payload, envelope) => {
      store.record("slip_conflicts_updated", envelope);
      store.slipConflictCount = payload.conflict_count;
      store.refetch("slip_conflicts");
    },
    sprint_retro_updated: (payload, envelope) => {
      store.record("sprint_retro_updated", envelope);
      store.refetch("retro", payload.sprint_id);
    },
    task_created: (payload, envelope) => {
      store.record("task_created", envelope);
      store.refetch("task", payload.task_id);
    },
    task_updated: (payload, envelope) => {
      store.record("task_updated", envelope);
      store.refetch("task", payload.task_id);
    },
    task_deleted: (payload, envelope) => {
      store.record("task_deleted", envelope);
      store.deleteTasks([payload.task_id, ...(payload.subtask_ids ?? [])]);
    },
    tasks_bulk_mutated: (payload, envelope) => {
      store.record("tasks_bulk_mutated", envelope);
      store.refetch("task", ...payload.task_ids);
    },
    tasks_reordered: (payload, envelope) => {
      store.record("tasks_reordered", envelope);
      store.refetch("task_list", payload.phase_id ?? "unphased");
    },
    tasks_restructured: (_payload, envelope) => {
      store.record("tasks_restructured", envelope);
      store.refetch("task_tree");
    },
    task_run_started: (payload, envelope) => {
      store.record("task_run_started", envelope);
      store.updateRun(payload.task_run_id, { taskId: payload.task_id, status: "running", percent: 0, message: null });
    },
    task_run_progress: (payload, envelope) => {
      store.record("task_run_progress", envelope);
      store.updateRun(payload.task_run_id, {
        taskId: payload.task_id,
        status: "running",
        percent: payload.percent,
        message: payload.message ?? null,
      });
    },
    task_run_completed: (payload, envelope) => {
      store.record("task_run_completed", envelope);
      const outcome = payload.outcome;
      store.updateRun(payload.task_run_id, {
        taskId: payload.task_id,
        status: outcome.kind,
        percent: 100,
        message: outcome.kind === "skipped" ? outcome.reason : `${outcome.artifact_count} artifacts`,
      });
      store.refetch("task", payload.task_id);
    },
    task_run_failed: (payload, envelope) => {
      store.record("task_run_failed", envelope);
      const previous = store.runs.get(payload.task_run_id);
      store.updateRun(payload.task_run_id, {
        taskId: payload.task_id,
        status: "failed",
        percent: previous?.percent ?? 0,
        message: payload.error_message ?? payload.error_kind,
      });
      store.refetch("task", payload.task_id);
    },
    task_run_cancelled: (payload, envelope) => {
      store.record("task_run_cancelled", envelope);
      const previous = store.runs.get(payload.task_run_id);
      store.updateRun(payload.task_run_id, {
        taskId: payload.task_id,
        status: "cancelled",
        percent: previous?.percent ?? 0,
        message: payload.cancelled_by === null ? "cancelled by the system" : `cancelled by member ${payload.cancelled_by}`,
      });
      store.refetch("task", payload.task_id);
    },
  });
}
