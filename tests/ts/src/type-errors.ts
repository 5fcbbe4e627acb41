// Type-level tests of the generated `board` channel module.
//
// This file is only compiled, never run as a test (its name does not match
// `node --test`'s patterns, and it has no side effects if imported). Each
// `// @ts-expect-error` marks a line that must NOT compile: tsc fails the build
// with "Unused '@ts-expect-error' directive" if the line ever compiles, so
// this file proves that the mistakes below are rejected. Keep each marked line
// small so that the intended error is the only one it can have.

import {
  IGNORE,
  PROTOCOL_VERSION,
  defineBoardHandlers,
  type BaselineActivatedPayload,
  type BoardEnvelope,
  type BoardEnvelopeOf,
  type BoardEventType,
  type BoardHandler,
  type BoardHandlers,
  type BoardPayloads,
  type RisksImportedPayload,
  type SlipConflictsUpdatedPayload,
  type TaskCreatedPayload,
  type TaskRunCompletedPayload,
  type TaskRunFailedPayload,
  type TaskRunProgressPayload,
  type TaskUpdatedPayload,
  type TasksBulkMutatedPayload,
} from "../../../generated/ts/board.js";
import { BOARD_EXAMPLES } from "../../../generated/ts/board.examples.js";

// ---------------------------------------------------------------------------
// Helpers

/** `true` when A and B are the same type (not merely mutually assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when given `true`. */
type Expect<T extends true> = T;

const noop = (): void => {};

/** A complete handler map; the checks below derive broken ones from it. */
export const allNoop = {
  backlog_reranked: noop,
  baseline_activated: noop,
  dependency_accepted: noop,
  phases_reordered: noop,
  risks_imported: noop,
  roster_changed: noop,
  slip_conflicts_updated: noop,
  sprint_retro_updated: noop,
  task_created: noop,
  task_updated: noop,
  task_deleted: noop,
  tasks_bulk_mutated: noop,
  tasks_reordered: noop,
  tasks_restructured: noop,
  task_run_started: noop,
  task_run_progress: noop,
  task_run_completed: noop,
  task_run_failed: noop,
  task_run_cancelled: noop,
} satisfies BoardHandlers;

// ---------------------------------------------------------------------------
// Exact types of the public surface

export type SurfaceChecks = [
  Expect<Equal<BoardEventType, keyof BoardPayloads>>,
  Expect<Equal<keyof typeof BOARD_EXAMPLES, BoardEventType>>,
  Expect<Equal<keyof BoardHandlers, BoardEventType>>,
  Expect<Equal<(typeof BOARD_EXAMPLES)["task_created"], readonly TaskCreatedPayload[]>>,
  Expect<Equal<Parameters<BoardHandler<"task_created">>[0], TaskCreatedPayload>>,
  Expect<Equal<Parameters<BoardHandler<"task_created">>[1], BoardEnvelopeOf<"task_created">>>,
  Expect<Equal<BoardHandlers["task_updated"], BoardHandler<"task_updated"> | typeof IGNORE>>,
  Expect<Equal<BoardEnvelope["event_type"], BoardEventType>>,
  Expect<Equal<Extract<BoardEnvelope, { event_type: "task_updated" }>["payload"], TaskUpdatedPayload>>,
  Expect<Equal<ReturnType<typeof defineBoardHandlers>, BoardHandlers>>,
];

// ---------------------------------------------------------------------------
// Handler maps

// A map missing one event is rejected: ignoring an event must be explicit.
// @ts-expect-error -- Property 'task_run_cancelled' is missing
export const missingOneEvent: BoardHandlers = {
  backlog_reranked: noop,
  baseline_activated: noop,
  dependency_accepted: noop,
  phases_reordered: noop,
  risks_imported: noop,
  roster_changed: noop,
  slip_conflicts_updated: noop,
  sprint_retro_updated: noop,
  task_created: noop,
  task_updated: noop,
  task_deleted: noop,
  tasks_bulk_mutated: noop,
  tasks_reordered: noop,
  tasks_restructured: noop,
  task_run_started: noop,
  task_run_progress: noop,
  task_run_completed: noop,
  task_run_failed: noop,
};

// The same through a variable and through defineBoardHandlers.
const { task_created: _dropped, ...withoutTaskCreated } = allNoop;
// @ts-expect-error -- Property 'task_created' is missing
export const missingViaVariable: BoardHandlers = withoutTaskCreated;
// @ts-expect-error -- Property 'task_created' is missing
export const missingViaDefine = defineBoardHandlers(withoutTaskCreated);

// Ignoring an event is spelled IGNORE; other non-functions are rejected.
export const ignoringOne: BoardHandlers = { ...allNoop, task_created: IGNORE };
export const ignoringOneDefined = defineBoardHandlers({ ...allNoop, task_created: IGNORE });
// @ts-expect-error -- a different symbol is not IGNORE
export const otherSymbol: BoardHandlers = { ...allNoop, task_created: Symbol("ignore") };
// @ts-expect-error -- null is not a handler
export const nullHandler: BoardHandlers = { ...allNoop, task_created: null };
// @ts-expect-error -- undefined is not a handler
export const undefinedHandler: BoardHandlers = { ...allNoop, task_created: undefined };

// An entry for an event that does not exist: an inline literal is caught by
// excess-property checking alone...
// @ts-expect-error -- 'task_exploded' does not exist in type 'BoardHandlers'
export const extraInline: BoardHandlers = { ...allNoop, task_exploded: noop };
// ...but a variable is not, which is what defineBoardHandlers is for.
const withExtraEvent = { ...allNoop, task_exploded: noop };
export const extraSlipsThroughPlainAssignment: BoardHandlers = withExtraEvent;
// @ts-expect-error -- '() => void' is not assignable to 'never'
export const extraViaDefine = defineBoardHandlers(withExtraEvent);
export const extraViaDefineInline = defineBoardHandlers({
  ...allNoop,
  // @ts-expect-error -- '() => void' is not assignable to 'never'
  task_exploded: noop,
});
// A misspelt event name is the realistic form of the same mistake.
const misspelt = { ...allNoop, task_run_canceled: noop };
// @ts-expect-error -- 'task_run_canceled' is not an event
export const misspeltViaDefine = defineBoardHandlers(misspelt);

// A handler whose payload parameter belongs to another event is rejected.
export const wrongPayloadParameter: BoardHandlers = {
  ...allNoop,
  // @ts-expect-error -- TaskCreatedPayload is not assignable to TaskUpdatedPayload
  task_created: (payload: TaskUpdatedPayload): void => void payload.fields,
};
export const wrongPayloadParameterDefined = defineBoardHandlers({
  ...allNoop,
  // @ts-expect-error -- TaskRunFailedPayload is not assignable to TaskRunCompletedPayload
  task_run_failed: (payload: TaskRunCompletedPayload): void => void payload.outcome,
});
// ...and so is one whose envelope parameter belongs to another event.
export const wrongEnvelopeParameter: BoardHandlers = {
  ...allNoop,
  // @ts-expect-error -- BoardEnvelopeOf<"task_created"> is not BoardEnvelopeOf<"task_deleted">
  task_created: (_payload: TaskCreatedPayload, envelope: BoardEnvelopeOf<"task_deleted">): void => void envelope,
};
// Handlers are contextually typed: a field of another event's payload does not exist.
export const wrongFieldInHandler = defineBoardHandlers({
  ...allNoop,
  // @ts-expect-error -- Property 'fields' does not exist on type 'TaskCreatedPayload'
  task_created: (payload) => void payload.fields,
});
// Handler maps are readonly (in a function so that importing this file changes nothing).
export function assignHandler(handlerMap: BoardHandlers): void {
  // @ts-expect-error -- Cannot assign to 'task_created' because it is a read-only property
  handlerMap.task_created = noop;
}

// Positive: each handler's parameters are its own event's payload and envelope.
export const contextuallyTyped = defineBoardHandlers({
  ...allNoop,
  task_run_completed: (payload, envelope) => {
    const kind: "succeeded" | "skipped" = payload.outcome.kind;
    const eventType: "task_run_completed" = envelope.event_type;
    void kind;
    void eventType;
  },
  tasks_bulk_mutated: (payload) => {
    const mutation: "updated" | "moved" | "archived" | "restored" | "deleted" = payload.mutation;
    void mutation;
  },
});

// ---------------------------------------------------------------------------
// Payloads

export const goodBulk: TasksBulkMutatedPayload = { task_ids: [1], mutation: "moved" };
// An enum value outside the catalog's list is rejected...
// @ts-expect-error -- '"exploded"' is not assignable to TasksBulkMutatedPayloadMutation
export const badBulk: TasksBulkMutatedPayload = { task_ids: [1], mutation: "exploded" };
// ...as is one whose case differs...
// @ts-expect-error -- '"Moved"' is not assignable to TasksBulkMutatedPayloadMutation
export const badBulkCase: TasksBulkMutatedPayload = { task_ids: [1], mutation: "Moved" };
// ...in array items...
// @ts-expect-error -- '"colour"' is not a TaskUpdatedPayloadFieldsItem
export const badFields: TaskUpdatedPayload = { task_id: 1, fields: ["status", "colour"] };
// ...in nested objects...
export const badSource: RisksImportedPayload = {
  project_id: 1,
  risk_ids: [],
  // @ts-expect-error -- '"pdf"' is not a RisksImportedPayloadSourceFormat
  source: { format: "pdf" },
};
// ...and as a tagged-union tag.
export const badOutcome: TaskRunCompletedPayload = {
  task_run_id: "r",
  task_id: 1,
  // @ts-expect-error -- '"failed"' is not a TaskRunCompletedPayloadOutcome kind
  outcome: { kind: "failed", reason: "x" },
};
// A tagged-union variant's fields follow its tag.
export const mixedOutcome: TaskRunCompletedPayload = {
  task_run_id: "r",
  task_id: 1,
  // @ts-expect-error -- 'reason' does not exist on the "succeeded" variant
  outcome: { kind: "succeeded", reason: "x" },
};

// exactOptionalPropertyTypes: an optional property is absent or has a value, never undefined.
export const progressWithoutMessage: TaskRunProgressPayload = { task_run_id: "r", task_id: 1, percent: 5 };
// @ts-expect-error -- undefined is not assignable to string
export const progressUndefinedMessage: TaskRunProgressPayload = { task_run_id: "r", task_id: 1, percent: 5, message: undefined };
// @ts-expect-error -- undefined is not assignable to boolean
export const failedUndefinedRetryable: TaskRunFailedPayload = { task_run_id: "r", task_id: 1, error_kind: "timeout", error_message: null, retryable: undefined };
// @ts-expect-error -- undefined is not assignable to number
export const slipUndefinedMax: SlipConflictsUpdatedPayload = { task_ids: [], conflict_count: 0, max_slip_days: undefined };
// A nullable optional property takes null (explicitly "none") but still not undefined ("unknown" is absence).
export const baselineNoPrevious: BaselineActivatedPayload = { baseline_id: 1, activated_at: "t", previous_baseline_id: null };
export const baselineUnknownPrevious: BaselineActivatedPayload = { baseline_id: 1, activated_at: "t" };
// @ts-expect-error -- undefined is not assignable to number | null
export const baselineUndefinedPrevious: BaselineActivatedPayload = { baseline_id: 1, activated_at: "t", previous_baseline_id: undefined };
// A required nullable property must be present.
// @ts-expect-error -- Property 'phase_id' is missing
export const createdWithoutPhase: TaskCreatedPayload = { task_id: 1 };
export const createdUnphased: TaskCreatedPayload = { task_id: 1, phase_id: null };

// ---------------------------------------------------------------------------
// Envelopes

export const goodEnvelope: BoardEnvelope = { protocol_version: PROTOCOL_VERSION, event_type: "task_created", payload: { task_id: 1, phase_id: null } };
export const goodUpdatedEnvelope: BoardEnvelope = { protocol_version: 1, event_type: "task_updated", payload: { task_id: 1, fields: ["status"] } };
// @ts-expect-error -- a task_updated payload under event_type "task_created"
export const mismatchedEnvelope: BoardEnvelope = { protocol_version: 1, event_type: "task_created", payload: { task_id: 1, fields: ["status"] } };
// @ts-expect-error -- a task_updated payload under event_type "task_created"
export const mismatchedEnvelopeOf: BoardEnvelopeOf<"task_created"> = { protocol_version: 1, event_type: "task_created", payload: { task_id: 1, fields: ["status"] } };
// @ts-expect-error -- "task_exploded" is not an event type
export const unknownEventEnvelope: BoardEnvelope = { protocol_version: 1, event_type: "task_exploded", payload: {} };
const updatedPayload: TaskUpdatedPayload = { task_id: 1, fields: ["status"] };
// @ts-expect-error -- a TaskUpdatedPayload variable under event_type "task_created"
export const mismatchedViaVariable: BoardEnvelope = { protocol_version: 1, event_type: "task_created", payload: updatedPayload };
export const matchedViaVariable: BoardEnvelope = { protocol_version: 1, event_type: "task_updated", payload: updatedPayload };

// Positive: narrowing on event_type gives that event's payload type, and
// the switch is exhaustive over exactly the channel's 19 events.
export function describeEnvelope(envelope: BoardEnvelope): string {
  switch (envelope.event_type) {
    case "backlog_reranked":
      return `backlog of ${envelope.payload.project_id}`;
    case "baseline_activated":
      return `baseline ${envelope.payload.baseline_id} after ${String(envelope.payload.previous_baseline_id)}`;
    case "dependency_accepted":
      return `${envelope.payload.predecessor_task_id} -> ${envelope.payload.successor_task_id}`;
    case "phases_reordered":
      return envelope.payload.phase_ids.join(",");
    case "risks_imported": {
      const format: "csv" | "xlsx" | "jira" = envelope.payload.source.format;
      return `${format} ${envelope.payload.source.uri ?? ""}`;
    }
    case "roster_changed":
      return envelope.payload.member_ids.join(",");
    case "slip_conflicts_updated":
      return `${envelope.payload.conflict_count} ${envelope.payload.max_slip_days ?? 0}`;
    case "sprint_retro_updated":
      return (envelope.payload.sections ?? []).join(",");
    case "task_created":
      // @ts-expect-error -- 'fields' is task_updated's, not task_created's
      void envelope.payload.fields;
      return `task ${envelope.payload.task_id} in ${envelope.payload.phase_id ?? "no phase"}`;
    case "task_updated":
      return envelope.payload.fields.join(",");
    case "task_deleted":
      return (envelope.payload.subtask_ids ?? []).join(",");
    case "tasks_bulk_mutated":
      return envelope.payload.mutation;
    case "tasks_reordered":
      return String(envelope.payload.phase_id);
    case "tasks_restructured":
      return envelope.payload.task_ids.join(",");
    case "task_run_started":
      return envelope.payload.started_at;
    case "task_run_progress":
      return `${envelope.payload.percent}% ${envelope.payload.message ?? ""}`;
    case "task_run_completed": {
      const outcome = envelope.payload.outcome;
      switch (outcome.kind) {
        case "succeeded":
          return `${outcome.artifact_count} artifacts`;
        case "skipped":
          return outcome.reason;
      }
    }
    case "task_run_failed":
      return `${envelope.payload.error_kind} ${envelope.payload.error_message ?? ""} ${String(envelope.payload.retryable)}`;
    case "task_run_cancelled":
      return String(envelope.payload.cancelled_by);
    default: {
      const unreachable: never = envelope;
      return unreachable;
    }
  }
}

// Positive: a generic handler sees the payload type of its own event.
export function payloadOf<K extends BoardEventType>(envelope: BoardEnvelopeOf<K>): BoardPayloads[K] {
  return envelope.payload;
}
export const createdPayload: TaskCreatedPayload = payloadOf<"task_created">({ protocol_version: 1, event_type: "task_created", payload: { task_id: 2, phase_id: 3 } });
// @ts-expect-error -- payloadOf<"task_created"> returns TaskCreatedPayload, not TaskUpdatedPayload
export const updatedFromCreated: TaskUpdatedPayload = payloadOf<"task_created">({ protocol_version: 1, event_type: "task_created", payload: { task_id: 2, phase_id: 3 } });
