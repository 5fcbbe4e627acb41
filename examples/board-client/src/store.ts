// The client's state: what the board events say to do. Payloads are minimal
// (ids, mostly), so most events mark a resource to refetch; task runs carry
// their progress, which is shown as it arrives.

import type {
  BoardEnvelopeOf,
  BoardEventType,
  MemberId,
  SprintId,
  TaskId,
  TaskRunId,
} from "../../../generated/ts/board.js";

/** One handled event: the handler that ran and the envelope it got. */
export interface HandledEvent {
  readonly handler: BoardEventType;
  readonly envelope: BoardEnvelopeOf<BoardEventType>;
}

/** What the client shows of a task run. */
export interface RunView {
  readonly taskId: TaskId;
  readonly status: "running" | "succeeded" | "skipped" | "failed" | "cancelled";
  readonly percent: number;
  readonly message: string | null;
}

export class BoardStore {
  /** Every handled event, in arrival order. */
  readonly handled: HandledEvent[] = [];
  /** Resources to refetch, as `kind:id` (`task:4812`, `backlog:7`). */
  readonly stale = new Set<string>();
  /** Tasks deleted on the server: drop them from every view. */
  readonly deletedTasks = new Set<TaskId>();
  /** Task runs by id. */
  readonly runs = new Map<TaskRunId, RunView>();
  /** How many slip conflicts the last report held (the badge on the schedule). */
  slipConflictCount = 0;
  /** Sprint rosters, replaced whole by each `roster_changed`. */
  readonly rosters = new Map<SprintId, readonly MemberId[]>();

  readonly #onHandled: ((event: HandledEvent) => void) | undefined;

  /** `onHandled` is told about each event after its handler ran. */
  constructor(onHandled?: (event: HandledEvent) => void) {
    this.#onHandled = onHandled;
  }

  /** Typed so that a handler recording under another event's name does not compile. */
  record<K extends BoardEventType>(handler: K, envelope: BoardEnvelopeOf<K>): void {
    const event = { handler, envelope };
    this.handled.push(event);
    this.#onHandled?.(event);
  }

  /** Marks resources to refetch; without ids, the whole `kind` (a list, a report). */
  refetch(kind: string, ...ids: readonly (number | string)[]): void {
    if (ids.length === 0) {
      this.stale.add(kind);
    }
    for (const id of ids) {
      this.stale.add(`${kind}:${id}`);
    }
  }

  deleteTasks(ids: readonly TaskId[]): void {
    for (const id of ids) {
      this.deletedTasks.add(id);
      this.stale.delete(`task:${id}`);
    }
  }

  updateRun(id: TaskRunId, run: RunView): void {
    this.runs.set(id, run);
  }
}
