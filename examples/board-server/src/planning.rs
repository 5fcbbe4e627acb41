//! Schedule mutations: phase order, backlog ranks, dependencies, baselines and
//! the slip conflict report. Each emits its event through the generated enum.

use board_events::{
    BacklogRerankedPayload, BaselineActivatedPayload, BaselineId, BoardEvent,
    DependencyAcceptedPayload, DependencyId, PhaseId, PhasesReorderedPayload,
    SlipConflictsUpdatedPayload, TaskId,
};

use crate::board::{Board, BoardError, SlipConflict, State};
use crate::tasks::same_items;

impl Board {
    /// Puts the project's phases in a new order.
    pub fn reorder_phases(&self, order: &[PhaseId]) -> Result<(), BoardError> {
        let mut state = self.lock();
        if !same_items(&state.phases, order) {
            return Err(BoardError::NotAPermutation);
        }
        state.phases = order.to_vec();
        self.hub
            .broadcast(BoardEvent::PhasesReordered(PhasesReorderedPayload {
                project_id: self.project_id,
                phase_ids: order.to_vec(),
            }));
        Ok(())
    }

    /// Ranks the backlog anew; the event lists the tasks whose rank changed.
    pub fn rerank_backlog(&self, order: &[TaskId]) -> Result<(), BoardError> {
        let mut state = self.lock();
        if !same_items(&state.backlog, order) {
            return Err(BoardError::NotAPermutation);
        }
        let task_ids: Vec<TaskId> = order
            .iter()
            .zip(&state.backlog)
            .filter(|(new, old)| new != old)
            .map(|(new, _)| *new)
            .collect();
        state.backlog = order.to_vec();
        if !task_ids.is_empty() {
            self.hub
                .broadcast(BoardEvent::BacklogReranked(BacklogRerankedPayload {
                    project_id: self.project_id,
                    task_ids,
                }));
        }
        Ok(())
    }

    /// Accepts a dependency: `successor` waits for `predecessor`.
    pub fn accept_dependency(
        &self,
        predecessor: TaskId,
        successor: TaskId,
    ) -> Result<DependencyId, BoardError> {
        let mut state = self.lock();
        state.check_tasks(&[predecessor, successor])?;
        if predecessor == successor || depends_on(&state, predecessor, successor) {
            return Err(BoardError::Cycle(successor));
        }
        let dependency_id = state.next_id();
        state
            .dependencies
            .insert(dependency_id, (predecessor, successor));
        self.hub
            .broadcast(BoardEvent::DependencyAccepted(DependencyAcceptedPayload {
                dependency_id,
                predecessor_task_id: predecessor,
                successor_task_id: successor,
            }));
        Ok(dependency_id)
    }

    /// Snapshots the schedule as a new baseline and makes it the active one.
    pub fn activate_baseline(&self, activated_at: String) -> BaselineId {
        let mut state = self.lock();
        let baseline_id = state.next_id();
        state.baselines.insert(baseline_id, activated_at.clone());
        let previous = state.active_baseline.replace(baseline_id);
        self.hub
            .broadcast(BoardEvent::BaselineActivated(BaselineActivatedPayload {
                baseline_id,
                activated_at,
                // Known here: `Some(None)` says there was no active baseline.
                previous_baseline_id: Some(previous),
            }));
        baseline_id
    }

    /// Stores the scheduler's new slip conflict report.
    pub fn report_slip_conflicts(&self, conflicts: Vec<SlipConflict>) -> Result<(), BoardError> {
        let mut state = self.lock();
        let mut task_ids = Vec::new();
        for conflict in &conflicts {
            for id in [conflict.predecessor_task_id, conflict.successor_task_id] {
                state.check_tasks(&[id])?;
                if !task_ids.contains(&id) {
                    task_ids.push(id);
                }
            }
        }
        let max_slip_days = conflicts
            .iter()
            .map(|conflict| conflict.slip_days)
            .reduce(f64::max)
            // Payload numbers keep their JSON text; slips are finite.
            .and_then(serde_json::Number::from_f64);
        let conflict_count = conflicts.len() as u64;
        state.slip_conflicts = conflicts;
        self.hub.broadcast(BoardEvent::SlipConflictsUpdated(
            SlipConflictsUpdatedPayload {
                task_ids,
                conflict_count,
                max_slip_days,
            },
        ));
        Ok(())
    }
}

/// Whether `task` already waits, directly or not, for `other`.
fn depends_on(state: &State, task: TaskId, other: TaskId) -> bool {
    let mut pending = vec![task];
    let mut seen = Vec::new();
    while let Some(current) = pending.pop() {
        if current == other {
            return true;
        }
        if seen.contains(&current) {
            continue;
        }
        seen.push(current);
        pending.extend(
            state
                .dependencies
                .values()
                .filter(|(_, successor)| *successor == current)
                .map(|(predecessor, _)| *predecessor),
        );
    }
    false
}
