"""Task runs: the lifecycle events go out through one wrapper that forwards
the event name (seed 000's wrapper-emitter case); progress pings are sent
directly from the async runner."""

import uuid
from dataclasses import dataclass
from typing import Literal

from api.board_events import TaskRunStartedPayload
from api.sync import abroadcast_board_event, broadcast_board_event

TaskRunEvent = Literal["task_run_started", "task_run_completed", "task_run_cancelled"]


@dataclass
class TaskRun:
    id: str
    task_id: int


def broadcast_task_run_event(event_type: TaskRunEvent, run: TaskRun) -> None:
    """Broadcasts a lifecycle event of `run`; callers pass the name as a literal."""
    # The lifecycle events share one payload shape.
    payload: TaskRunStartedPayload = {"task_run_id": run.id, "task_id": run.task_id}
    broadcast_board_event(event_type, payload)


def start_run(task_id: int) -> TaskRun:
    run = TaskRun(id=str(uuid.uuid4()), task_id=task_id)
    broadcast_task_run_event("task_run_started", run)
    return run


async def report_progress(run: TaskRun, percent: int) -> None:
    await abroadcast_board_event(
        "task_run_progress",
        {"task_run_id": run.id, "task_id": run.task_id, "percent": percent},
    )


def finish_run(run: TaskRun) -> None:
    broadcast_task_run_event("task_run_completed", run)


def cancel_run(run: TaskRun) -> None:
    broadcast_task_run_event("task_run_cancelled", run)
