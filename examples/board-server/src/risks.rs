//! The risk register's import. Not migrated yet: it still names its event
//! with a string literal at a direct call of the legacy emitter. Migrating it
//! means replacing the call with
//! `self.hub.broadcast(BoardEvent::RisksImported(RisksImportedPayload { .. }))`.

use board_events::{RiskId, RisksImportedPayloadSourceFormat as SourceFormat};
use serde_json::json;

use crate::board::{Board, BoardError};
use crate::legacy::broadcast_board_event;

impl Board {
    /// Creates one risk per title, read from a CSV or XLSX file or a Jira
    /// project (`uri`, when the source has an address).
    pub fn import_risks(
        &self,
        format: SourceFormat,
        uri: Option<&str>,
        titles: &[&str],
    ) -> Result<Vec<RiskId>, BoardError> {
        let mut state = self.lock();
        let risk_ids: Vec<RiskId> = titles.iter().map(|_| state.next_id()).collect();
        let mut source = json!({ "format": format });
        if let Some(uri) = uri {
            source["uri"] = json!(uri);
        }
        broadcast_board_event(
            &self.hub,
            "risks_imported",
            json!({ "project_id": self.project_id, "risk_ids": risk_ids, "source": source }),
        )?;
        for (id, title) in risk_ids.iter().zip(titles) {
            state.risks.insert(*id, (*title).to_owned());
        }
        Ok(risk_ids)
    }
}
