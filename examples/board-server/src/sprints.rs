//! Sprint mutations: the roster and the retrospective. Each emits its event
//! through the generated enum.

use board_events::{
    BoardEvent, MemberId, RosterChangedPayload, SprintId, SprintRetroUpdatedPayload,
    SprintRetroUpdatedPayloadSectionsItem as Section,
};

use crate::board::{Board, BoardError, Retro};

impl Board {
    /// Adds a member to a sprint's roster. Already there, no event.
    pub fn join_sprint(&self, sprint_id: SprintId, member_id: MemberId) -> Result<(), BoardError> {
        self.change_roster(sprint_id, |members| members.insert(member_id))
    }

    /// Removes a member from a sprint's roster. Not there, no event.
    pub fn leave_sprint(&self, sprint_id: SprintId, member_id: MemberId) -> Result<(), BoardError> {
        self.change_roster(sprint_id, |members| members.remove(&member_id))
    }

    fn change_roster(
        &self,
        sprint_id: SprintId,
        change: impl FnOnce(&mut std::collections::BTreeSet<MemberId>) -> bool,
    ) -> Result<(), BoardError> {
        let mut state = self.lock();
        let sprint = state.sprint_mut(sprint_id)?;
        if change(&mut sprint.members) {
            self.hub
                .broadcast(BoardEvent::RosterChanged(RosterChangedPayload {
                    sprint_id,
                    member_ids: sprint.members.iter().copied().collect(),
                }));
        }
        Ok(())
    }

    /// Adds an action item to a sprint's retrospective.
    pub fn add_action_item(&self, sprint_id: SprintId, text: &str) -> Result<(), BoardError> {
        let mut state = self.lock();
        state
            .sprint_mut(sprint_id)?
            .retro
            .action_items
            .push(text.to_owned());
        self.hub
            .broadcast(BoardEvent::SprintRetroUpdated(SprintRetroUpdatedPayload {
                sprint_id,
                sections: Some(vec![Section::ActionItems]),
            }));
        Ok(())
    }

    /// Replaces a whole retrospective (an import, or a revert).
    pub fn replace_retro(&self, sprint_id: SprintId, retro: Retro) -> Result<(), BoardError> {
        let mut state = self.lock();
        state.sprint_mut(sprint_id)?.retro = retro;
        self.hub
            .broadcast(BoardEvent::SprintRetroUpdated(SprintRetroUpdatedPayload {
                sprint_id,
                // Absent: any section may have changed.
                sections: None,
            }));
        Ok(())
    }
}
