//! An example board backend that broadcasts the `board` channel events over
//! WebSocket, written against the generated `board-events` crate.
//!
//! - [`broadcast`]: the hub. Every event goes out as
//!   `BoardEnvelope::new(event).to_json()`, so the wire JSON is produced by
//!   the generated types.
//! - [`board`], [`tasks`], [`planning`], [`sprints`], [`risks`], [`runs`]:
//!   the app. Each mutation changes the in-memory board and emits its event by
//!   constructing the generated enum variant, e.g.
//!   `hub.broadcast(BoardEvent::TaskCreated(TaskCreatedPayload { .. }))`.
//! - [`legacy`]: the migration path from string literals. `risks` calls
//!   `broadcast_board_event(hub, "risks_imported", json!(..))` and `runs`
//!   calls the wrapper `broadcast_run_event(hub, "task_run_started", &run)`;
//!   both parse the name and payload into the typed enum before sending, so a
//!   literal that is not in the catalog is an error, never a new wire name.
//! - [`server`]: the WebSocket endpoint (`/ws`), one task per connection.
//! - [`simulation`]: scripted board activity for `board-server`.

pub mod board;
pub mod broadcast;
pub mod clock;
pub mod legacy;
pub mod planning;
pub mod risks;
pub mod runs;
pub mod server;
pub mod simulation;
pub mod sprints;
pub mod tasks;

pub use board::{Board, BoardError};
pub use broadcast::Hub;
