//! Scripted board activity, so that a client connected to `board-server`
//! sees every kind of event. Each round goes through the app's mutations
//! (the same code paths a real request handler would call), pausing between
//! steps, and waits while no client is connected.

use std::time::Duration;

use board_events::RisksImportedPayloadSourceFormat as SourceFormat;
use board_events::{
    SprintId, TaskRunCompletedPayloadOutcome as Outcome,
    TaskRunCompletedPayloadOutcomeSkipped as Skipped,
    TaskRunCompletedPayloadOutcomeSucceeded as Succeeded,
    TaskRunFailedPayloadErrorKind as ErrorKind,
};

use crate::board::{Board, BoardError, Retro, SlipConflict, TaskStatus};
use crate::clock;
use crate::tasks::TaskEdit;

/// The sprint the simulation plans.
pub const SPRINT: SprintId = 58;

/// Runs `rounds` rounds (forever when `None`), one step every `interval`.
pub async fn run(board: &Board, rounds: Option<u64>, interval: Duration) -> Result<(), BoardError> {
    board.add_sprint(SPRINT);
    let mut clients = board.hub().clients();
    let mut round = 0;
    while rounds.is_none_or(|rounds| round < rounds) {
        if clients.wait_for(|count| *count > 0).await.is_err() {
            return Ok(());
        }
        one_round(board, round, interval).await?;
        round += 1;
    }
    Ok(())
}

async fn one_round(board: &Board, round: u64, interval: Duration) -> Result<(), BoardError> {
    let pause = || tokio::time::sleep(interval);
    let phases = board.phases();
    let first_phase = phases.first().copied();

    let notes = board.create_task("Draft the release notes", first_phase)?;
    pause().await;
    let review = board.create_task("Review the public API", None)?;
    pause().await;
    board.update_task(notes, vec![TaskEdit::Status(TaskStatus::InProgress)])?;
    pause().await;
    board.update_task(
        review,
        vec![
            TaskEdit::Title("Review the public API surface".into()),
            TaskEdit::DueDate(Some("2026-04-01".into())),
        ],
    )?;
    pause().await;
    board.accept_dependency(review, notes)?;
    pause().await;
    let mut unphased = board.task_list(None);
    unphased.reverse();
    board.reorder_tasks(None, &unphased)?;
    pause().await;
    board.move_tasks(&[review], first_phase)?;
    pause().await;
    board.reparent_tasks(&[review], Some(notes))?;
    pause().await;
    let mut backlog = board.backlog();
    backlog.rotate_left(1);
    board.rerank_backlog(&backlog)?;
    pause().await;
    let mut phases = phases;
    phases.rotate_left(1);
    board.reorder_phases(&phases)?;
    pause().await;
    board.activate_baseline(clock::now());
    pause().await;
    board.report_slip_conflicts(vec![SlipConflict {
        predecessor_task_id: review,
        successor_task_id: notes,
        slip_days: 1.5,
    }])?;
    pause().await;
    let member = 215 + round;
    board.join_sprint(SPRINT, member)?;
    pause().await;
    board.add_action_item(SPRINT, "Publish the event catalog")?;
    pause().await;
    board.import_risks(
        SourceFormat::Jira,
        Some("https://example.atlassian.net/projects/OPS"),
        &["Vendor delay"],
    )?;
    pause().await;

    let run = board.start_run(notes, clock::now())?;
    pause().await;
    board.report_progress(&run, 40, None)?;
    pause().await;
    board.report_progress(&run, 85, Some("Uploading artifacts"))?;
    pause().await;
    board.complete_run(&run, Outcome::Succeeded(Succeeded { artifact_count: 3 }))?;
    pause().await;
    let run = board.start_run(review, clock::now())?;
    pause().await;
    board.fail_run(
        &run,
        ErrorKind::Timeout,
        Some("No progress for 15 minutes".into()),
        Some(true),
    )?;
    pause().await;
    let run = board.start_run(review, clock::now())?;
    pause().await;
    board.cancel_run(&run, Some(member))?;
    pause().await;
    let run = board.start_run(review, clock::now())?;
    pause().await;
    board.complete_run(
        &run,
        Outcome::Skipped(Skipped {
            reason: "Inputs unchanged since the last run".into(),
        }),
    )?;
    pause().await;

    board.leave_sprint(SPRINT, member)?;
    pause().await;
    board.replace_retro(SPRINT, Retro::default())?;
    pause().await;
    board.archive_tasks(&[notes, review])?;
    pause().await;
    board.restore_tasks(&[notes, review])?;
    pause().await;
    board.delete_task(notes)?;
    pause().await;
    board.report_slip_conflicts(Vec::new())?;
    pause().await;
    Ok(())
}
