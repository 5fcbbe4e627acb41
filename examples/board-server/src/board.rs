//! The board: one project's tasks, phases, schedule, sprints, risks and task
//! runs, kept in memory. The mutations live in the modules named after what
//! they change (`tasks`, `planning`, `sprints`, `risks`, `runs`); each one
//! changes the state and broadcasts its event while it holds the lock, so
//! clients see events in the order the changes happened.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use board_events::{
    BaselineId, DependencyId, MemberId, PhaseId, ProjectId, RiskId, SprintId, TaskId, TaskRunId,
};

use crate::broadcast::Hub;
use crate::legacy::EmitError;
use crate::runs::Run;

/// The board of one project, and the hub its changes are broadcast on.
pub struct Board {
    pub(crate) hub: Hub,
    pub(crate) project_id: ProjectId,
    state: Mutex<State>,
}

/// Everything the board holds.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// The last id handed out; ids are shared by every kind of record.
    last_id: u64,
    pub tasks: BTreeMap<TaskId, Task>,
    /// The project's phases, in order.
    pub phases: Vec<PhaseId>,
    /// The order of each task list: one per phase, `None` for unphased tasks.
    pub task_lists: BTreeMap<Option<PhaseId>, Vec<TaskId>>,
    /// Unscheduled tasks, highest rank first.
    pub backlog: Vec<TaskId>,
    pub dependencies: BTreeMap<DependencyId, (TaskId, TaskId)>,
    pub baselines: BTreeMap<BaselineId, String>,
    pub active_baseline: Option<BaselineId>,
    pub slip_conflicts: Vec<SlipConflict>,
    pub sprints: BTreeMap<SprintId, Sprint>,
    pub risks: BTreeMap<RiskId, String>,
    pub runs: BTreeMap<TaskRunId, Run>,
}

impl State {
    /// A fresh id for a new record.
    pub fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    /// The task, or [`BoardError::UnknownTask`].
    pub fn task_mut(&mut self, task_id: TaskId) -> Result<&mut Task, BoardError> {
        self.tasks
            .get_mut(&task_id)
            .ok_or(BoardError::UnknownTask(task_id))
    }

    /// Checks that every id names a task.
    pub fn check_tasks(&self, task_ids: &[TaskId]) -> Result<(), BoardError> {
        match task_ids.iter().find(|id| !self.tasks.contains_key(id)) {
            Some(missing) => Err(BoardError::UnknownTask(*missing)),
            None => Ok(()),
        }
    }

    /// The sprint, or [`BoardError::UnknownSprint`].
    pub fn sprint_mut(&mut self, sprint_id: SprintId) -> Result<&mut Sprint, BoardError> {
        self.sprints
            .get_mut(&sprint_id)
            .ok_or(BoardError::UnknownSprint(sprint_id))
    }

    /// Moves a task to the end of another list.
    pub fn move_to_list(&mut self, task_id: TaskId, from: Option<PhaseId>, to: Option<PhaseId>) {
        if let Some(list) = self.task_lists.get_mut(&from) {
            list.retain(|id| *id != task_id);
        }
        self.task_lists.entry(to).or_default().push(task_id);
    }
}

/// A task on the board.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub title: String,
    pub description: String,
    pub status: TaskStatus,
    pub due_date: Option<String>,
    pub phase_id: Option<PhaseId>,
    pub parent_id: Option<TaskId>,
    pub archived: bool,
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Todo,
    InProgress,
    Done,
}

/// Two tasks whose schedules collide, by how much.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlipConflict {
    pub predecessor_task_id: TaskId,
    pub successor_task_id: TaskId,
    pub slip_days: f64,
}

/// A sprint: its roster and its retrospective.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sprint {
    pub members: BTreeSet<MemberId>,
    pub retro: Retro,
}

/// A sprint retrospective.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retro {
    pub went_well: Vec<String>,
    pub to_improve: Vec<String>,
    pub action_items: Vec<String>,
}

/// Why a mutation was refused. Nothing is broadcast when it is.
#[derive(Debug)]
pub enum BoardError {
    UnknownTask(TaskId),
    UnknownPhase(PhaseId),
    UnknownSprint(SprintId),
    UnknownRun(TaskRunId),
    /// A new order that is not a permutation of the current one.
    NotAPermutation,
    /// A run that already ended cannot change.
    RunEnded(TaskRunId),
    /// A dependency or a parent link that would make a cycle.
    Cycle(TaskId),
    /// The legacy emitter refused the event (see [`crate::legacy`]).
    Emit(EmitError),
}

impl fmt::Display for BoardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownTask(id) => write!(f, "no task {id}"),
            Self::UnknownPhase(id) => write!(f, "no phase {id}"),
            Self::UnknownSprint(id) => write!(f, "no sprint {id}"),
            Self::UnknownRun(id) => write!(f, "no task run {id}"),
            Self::NotAPermutation => f.write_str("the new order must list the same items"),
            Self::RunEnded(id) => write!(f, "task run {id} already ended"),
            Self::Cycle(id) => write!(f, "task {id} would depend on itself"),
            Self::Emit(error) => write!(f, "event not broadcast: {error}"),
        }
    }
}

impl std::error::Error for BoardError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Emit(error) => Some(error),
            _ => None,
        }
    }
}

impl From<EmitError> for BoardError {
    fn from(error: EmitError) -> Self {
        Self::Emit(error)
    }
}

impl Board {
    /// An empty board for `project_id` with the given phases, in order.
    pub fn new(hub: Hub, project_id: ProjectId, phases: &[PhaseId]) -> Self {
        let mut state = State {
            phases: phases.to_vec(),
            last_id: phases.iter().copied().max().unwrap_or(0),
            ..State::default()
        };
        state.task_lists.insert(None, Vec::new());
        for phase in phases {
            state.task_lists.insert(Some(*phase), Vec::new());
        }
        Self {
            hub,
            project_id,
            state: Mutex::new(state),
        }
    }

    /// The hub this board broadcasts on.
    pub fn hub(&self) -> &Hub {
        &self.hub
    }

    /// The project this board belongs to.
    pub fn project_id(&self) -> ProjectId {
        self.project_id
    }

    /// Adds a sprint with an empty roster (sprint planning is not broadcast).
    pub fn add_sprint(&self, sprint_id: SprintId) {
        self.lock().sprints.entry(sprint_id).or_default();
    }

    /// A copy of a task, if it exists.
    pub fn task(&self, task_id: TaskId) -> Option<Task> {
        self.lock().tasks.get(&task_id).cloned()
    }

    /// The order of one task list.
    pub fn task_list(&self, phase_id: Option<PhaseId>) -> Vec<TaskId> {
        self.lock()
            .task_lists
            .get(&phase_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The project's phases, in order.
    pub fn phases(&self) -> Vec<PhaseId> {
        self.lock().phases.clone()
    }

    /// The backlog, highest rank first.
    pub fn backlog(&self) -> Vec<TaskId> {
        self.lock().backlog.clone()
    }

    /// The state, locked. Mutations broadcast before they release it.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
