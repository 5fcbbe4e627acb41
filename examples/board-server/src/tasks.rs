//! Task mutations. Each one emits its event through the generated enum:
//! `self.hub.broadcast(BoardEvent::TaskCreated(TaskCreatedPayload { .. }))`.
//! The compiler checks every name and every payload field.

use board_events::{
    BoardEvent, PhaseId, TaskCreatedPayload, TaskDeletedPayload, TaskId, TaskUpdatedPayload,
    TaskUpdatedPayloadFieldsItem as Field, TasksBulkMutatedPayload,
    TasksBulkMutatedPayloadMutation as Mutation, TasksReorderedPayload, TasksRestructuredPayload,
};

use crate::board::{Board, BoardError, State, Task, TaskStatus};

/// One change to a task.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskEdit {
    Title(String),
    Description(String),
    Status(TaskStatus),
    DueDate(Option<String>),
    Phase(Option<PhaseId>),
}

impl TaskEdit {
    /// The field it changes, as the `task_updated` payload names it.
    fn field(&self) -> Field {
        match self {
            Self::Title(_) => Field::Title,
            Self::Description(_) => Field::Description,
            Self::Status(_) => Field::Status,
            Self::DueDate(_) => Field::DueDate,
            Self::Phase(_) => Field::Phase,
        }
    }
}

impl Board {
    /// Creates a task at the end of its phase's list (or the unphased list).
    pub fn create_task(
        &self,
        title: &str,
        phase_id: Option<PhaseId>,
    ) -> Result<TaskId, BoardError> {
        let mut state = self.lock();
        check_phase(&state, phase_id)?;
        let task_id = state.next_id();
        state.tasks.insert(
            task_id,
            Task {
                title: title.to_owned(),
                description: String::new(),
                status: TaskStatus::Todo,
                due_date: None,
                phase_id,
                parent_id: None,
                archived: false,
            },
        );
        state.task_lists.entry(phase_id).or_default().push(task_id);
        state.backlog.push(task_id);
        self.hub
            .broadcast(BoardEvent::TaskCreated(TaskCreatedPayload {
                task_id,
                phase_id,
            }));
        Ok(task_id)
    }

    /// Applies edits to one task. No edits, no event.
    pub fn update_task(&self, task_id: TaskId, edits: Vec<TaskEdit>) -> Result<(), BoardError> {
        let mut state = self.lock();
        state.task_mut(task_id)?;
        for edit in &edits {
            if let TaskEdit::Phase(phase_id) = edit {
                check_phase(&state, *phase_id)?;
            }
        }
        let mut fields = Vec::new();
        for edit in edits {
            if !fields.contains(&edit.field()) {
                fields.push(edit.field());
            }
            let task = state.task_mut(task_id)?;
            match edit {
                TaskEdit::Title(title) => task.title = title,
                TaskEdit::Description(description) => task.description = description,
                TaskEdit::Status(status) => task.status = status,
                TaskEdit::DueDate(due_date) => task.due_date = due_date,
                TaskEdit::Phase(phase_id) => {
                    let from = std::mem::replace(&mut task.phase_id, phase_id);
                    state.move_to_list(task_id, from, phase_id);
                }
            }
        }
        if !fields.is_empty() {
            self.hub
                .broadcast(BoardEvent::TaskUpdated(TaskUpdatedPayload {
                    task_id,
                    fields,
                }));
        }
        Ok(())
    }

    /// Deletes a task and its subtasks, at any depth.
    pub fn delete_task(&self, task_id: TaskId) -> Result<(), BoardError> {
        let mut state = self.lock();
        state.task_mut(task_id)?;
        let subtask_ids = descendants(&state, task_id);
        for id in std::iter::once(task_id).chain(subtask_ids.iter().copied()) {
            state.tasks.remove(&id);
            state.backlog.retain(|other| *other != id);
            for list in state.task_lists.values_mut() {
                list.retain(|other| *other != id);
            }
        }
        self.hub
            .broadcast(BoardEvent::TaskDeleted(TaskDeletedPayload {
                task_id,
                subtask_ids: (!subtask_ids.is_empty()).then_some(subtask_ids),
            }));
        Ok(())
    }

    /// Moves many tasks to one phase (or out of every phase) at once.
    pub fn move_tasks(
        &self,
        task_ids: &[TaskId],
        phase_id: Option<PhaseId>,
    ) -> Result<(), BoardError> {
        let mut state = self.lock();
        state.check_tasks(task_ids)?;
        check_phase(&state, phase_id)?;
        for &task_id in task_ids {
            let task = state.task_mut(task_id)?;
            let from = std::mem::replace(&mut task.phase_id, phase_id);
            state.move_to_list(task_id, from, phase_id);
        }
        self.hub
            .broadcast(BoardEvent::TasksBulkMutated(TasksBulkMutatedPayload {
                task_ids: task_ids.to_vec(),
                mutation: Mutation::Moved,
            }));
        Ok(())
    }

    /// Archives many tasks at once.
    pub fn archive_tasks(&self, task_ids: &[TaskId]) -> Result<(), BoardError> {
        self.set_archived(task_ids, true, Mutation::Archived)
    }

    /// Restores many archived tasks at once.
    pub fn restore_tasks(&self, task_ids: &[TaskId]) -> Result<(), BoardError> {
        self.set_archived(task_ids, false, Mutation::Restored)
    }

    fn set_archived(
        &self,
        task_ids: &[TaskId],
        archived: bool,
        mutation: Mutation,
    ) -> Result<(), BoardError> {
        let mut state = self.lock();
        state.check_tasks(task_ids)?;
        for &task_id in task_ids {
            state.task_mut(task_id)?.archived = archived;
        }
        self.hub
            .broadcast(BoardEvent::TasksBulkMutated(TasksBulkMutatedPayload {
                task_ids: task_ids.to_vec(),
                mutation,
            }));
        Ok(())
    }

    /// Puts one task list (a phase's, or the unphased one) in a new order.
    pub fn reorder_tasks(
        &self,
        phase_id: Option<PhaseId>,
        order: &[TaskId],
    ) -> Result<(), BoardError> {
        let mut state = self.lock();
        check_phase(&state, phase_id)?;
        let list = state.task_lists.entry(phase_id).or_default();
        if !same_items(list, order) {
            return Err(BoardError::NotAPermutation);
        }
        list.clone_from_slice(order);
        self.hub
            .broadcast(BoardEvent::TasksReordered(TasksReorderedPayload {
                phase_id,
                task_ids: order.to_vec(),
            }));
        Ok(())
    }

    /// Gives many tasks a new parent (or makes them top-level).
    pub fn reparent_tasks(
        &self,
        task_ids: &[TaskId],
        parent_id: Option<TaskId>,
    ) -> Result<(), BoardError> {
        let mut state = self.lock();
        state.check_tasks(task_ids)?;
        if let Some(parent_id) = parent_id {
            state.task_mut(parent_id)?;
            for &task_id in task_ids {
                if task_id == parent_id || descendants(&state, task_id).contains(&parent_id) {
                    return Err(BoardError::Cycle(task_id));
                }
            }
        }
        for &task_id in task_ids {
            state.task_mut(task_id)?.parent_id = parent_id;
        }
        self.hub
            .broadcast(BoardEvent::TasksRestructured(TasksRestructuredPayload {
                task_ids: task_ids.to_vec(),
            }));
        Ok(())
    }
}

/// A phase of the project, or `None` (the unphased list).
fn check_phase(state: &State, phase_id: Option<PhaseId>) -> Result<(), BoardError> {
    match phase_id {
        Some(id) if !state.phases.contains(&id) => Err(BoardError::UnknownPhase(id)),
        _ => Ok(()),
    }
}

/// Every subtask of a task, at any depth, parents before children.
fn descendants(state: &State, task_id: TaskId) -> Vec<TaskId> {
    let mut found = Vec::new();
    let mut next = 0;
    let mut parent = task_id;
    loop {
        found.extend(
            state
                .tasks
                .iter()
                .filter(|(_, task)| task.parent_id == Some(parent))
                .map(|(id, _)| *id),
        );
        match found.get(next) {
            Some(id) => parent = *id,
            None => return found,
        }
        next += 1;
    }
}

/// Whether `order` lists exactly the items of `current`, once each.
pub(crate) fn same_items(current: &[u64], order: &[u64]) -> bool {
    let mut a = current.to_vec();
    let mut b = order.to_vec();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}
