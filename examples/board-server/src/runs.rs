//! Task runs: not migrated yet. Every run event still goes through the legacy
//! wrapper with its name as a string literal at the call site,
//! `broadcast_run_event(&self.hub, "task_run_started", &run)`, which is the
//! case the drift check follows through one level of wrapper.
//!
//! Each transition is computed on a copy of the run and stored only when the
//! event was accepted, so a name or a payload the catalog rejects leaves the
//! run as it was.

use board_events::{
    MemberId, TaskId, TaskRunCompletedPayloadOutcome, TaskRunFailedPayloadErrorKind, TaskRunId,
};
use serde_json::{Value, json};

use crate::board::{Board, BoardError, State, TaskStatus};
use crate::legacy::broadcast_run_event;

/// A run of a task.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: TaskRunId,
    pub task_id: TaskId,
    pub started_at: String,
    pub state: RunState,
}

/// Where a run stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    Started,
    Running {
        percent: u64,
        message: Option<String>,
    },
    Completed(TaskRunCompletedPayloadOutcome),
    Failed {
        error_kind: TaskRunFailedPayloadErrorKind,
        error_message: Option<String>,
        retryable: Option<bool>,
    },
    Cancelled {
        cancelled_by: Option<MemberId>,
    },
}

impl Run {
    /// Whether the run can still change.
    pub fn is_active(&self) -> bool {
        matches!(self.state, RunState::Started | RunState::Running { .. })
    }

    /// The run as the legacy code sent it: its ids and what its current state
    /// says. The legacy emitter checks it against the payload type of the
    /// event it is sent as.
    pub fn wire_payload(&self) -> Value {
        let mut payload = json!({ "task_run_id": self.id, "task_id": self.task_id });
        let fields = match &self.state {
            RunState::Started => json!({ "started_at": self.started_at }),
            RunState::Running { percent, message } => match message {
                Some(message) => json!({ "percent": percent, "message": message }),
                None => json!({ "percent": percent }),
            },
            RunState::Completed(outcome) => json!({ "outcome": outcome }),
            RunState::Failed {
                error_kind,
                error_message,
                retryable,
            } => match retryable {
                Some(retryable) => json!({
                    "error_kind": error_kind,
                    "error_message": error_message,
                    "retryable": retryable,
                }),
                None => json!({ "error_kind": error_kind, "error_message": error_message }),
            },
            RunState::Cancelled { cancelled_by } => json!({ "cancelled_by": cancelled_by }),
        };
        if let (Some(payload), Value::Object(fields)) = (payload.as_object_mut(), fields) {
            payload.extend(fields);
        }
        payload
    }
}

impl Board {
    /// Starts a run of a task.
    pub fn start_run(&self, task_id: TaskId, started_at: String) -> Result<TaskRunId, BoardError> {
        let mut state = self.lock();
        state.task_mut(task_id)?;
        let id = state.next_id();
        let run = Run {
            id: format!("{:08x}-0000-4000-8000-{id:012x}", self.project_id),
            task_id,
            started_at,
            state: RunState::Started,
        };
        broadcast_run_event(&self.hub, "task_run_started", &run)?;
        state.task_mut(task_id)?.status = TaskStatus::InProgress;
        let run_id = run.id.clone();
        state.runs.insert(run_id.clone(), run);
        Ok(run_id)
    }

    /// Records a run's progress, in percent (capped at 100).
    pub fn report_progress(
        &self,
        run_id: &str,
        percent: u64,
        message: Option<&str>,
    ) -> Result<(), BoardError> {
        let mut state = self.lock();
        let mut run = active_run(&state, run_id)?;
        run.state = RunState::Running {
            percent: percent.min(100),
            message: message.map(str::to_owned),
        };
        broadcast_run_event(&self.hub, "task_run_progress", &run)?;
        state.runs.insert(run.id.clone(), run);
        Ok(())
    }

    /// Ends a run without error: it did its work, or skipped it.
    pub fn complete_run(
        &self,
        run_id: &str,
        outcome: TaskRunCompletedPayloadOutcome,
    ) -> Result<(), BoardError> {
        let mut state = self.lock();
        let mut run = active_run(&state, run_id)?;
        run.state = RunState::Completed(outcome);
        broadcast_run_event(&self.hub, "task_run_completed", &run)?;
        set_status(&mut state, run.task_id, TaskStatus::Done);
        state.runs.insert(run.id.clone(), run);
        Ok(())
    }

    /// Ends a run with an error.
    pub fn fail_run(
        &self,
        run_id: &str,
        error_kind: TaskRunFailedPayloadErrorKind,
        error_message: Option<String>,
        retryable: Option<bool>,
    ) -> Result<(), BoardError> {
        let mut state = self.lock();
        let mut run = active_run(&state, run_id)?;
        run.state = RunState::Failed {
            error_kind,
            error_message,
            retryable,
        };
        broadcast_run_event(&self.hub, "task_run_failed", &run)?;
        set_status(&mut state, run.task_id, TaskStatus::Todo);
        state.runs.insert(run.id.clone(), run);
        Ok(())
    }

    /// Cancels a run: by a member, or by the system (`None`).
    pub fn cancel_run(
        &self,
        run_id: &str,
        cancelled_by: Option<MemberId>,
    ) -> Result<(), BoardError> {
        let mut state = self.lock();
        let mut run = active_run(&state, run_id)?;
        run.state = RunState::Cancelled { cancelled_by };
        broadcast_run_event(&self.hub, "task_run_cancelled", &run)?;
        set_status(&mut state, run.task_id, TaskStatus::Todo);
        state.runs.insert(run.id.clone(), run);
        Ok(())
    }

    /// A copy of a run, if it exists.
    pub fn run(&self, run_id: &str) -> Option<Run> {
        self.lock().runs.get(run_id).cloned()
    }
}

/// A run's task may have been deleted while it ran.
fn set_status(state: &mut State, task_id: TaskId, status: TaskStatus) {
    if let Some(task) = state.tasks.get_mut(&task_id) {
        task.status = status;
    }
}

/// A copy of a run that can still change.
fn active_run(state: &State, run_id: &str) -> Result<Run, BoardError> {
    match state.runs.get(run_id) {
        None => Err(BoardError::UnknownRun(run_id.to_owned())),
        Some(run) if !run.is_active() => Err(BoardError::RunEnded(run_id.to_owned())),
        Some(run) => Ok(run.clone()),
    }
}
