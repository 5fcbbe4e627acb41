"""Task write paths: each mutation broadcasts its event by literal name."""

from dataclasses import dataclass, field
from typing import Literal

from api.sync import abroadcast_board_event, broadcast_board_event

TaskField = Literal["title", "description", "status", "assignee", "due_date"]


@dataclass
class Task:
    id: int
    title: str
    phase_id: int | None = None
    status: str = "todo"
    subtask_ids: list[int] = field(default_factory=list[int])


_tasks: dict[int, Task] = {}


def create_task(task_id: int, title: str, phase_id: int | None) -> Task:
    task = Task(id=task_id, title=title, phase_id=phase_id)
    _tasks[task_id] = task
    broadcast_board_event("task_created", {"task_id": task.id, "phase_id": phase_id})
    return task


def update_task_status(task_id: int, status: str) -> None:
    _tasks[task_id].status = status
    fields: list[TaskField] = ["status"]
    broadcast_board_event("task_updated", {"task_id": task_id, "fields": fields})


async def delete_task(task_id: int) -> None:
    task = _tasks.pop(task_id)
    if task.subtask_ids:
        await abroadcast_board_event(
            "task_deleted", {"task_id": task_id, "subtask_ids": task.subtask_ids}
        )
    else:
        await abroadcast_board_event("task_deleted", {"task_id": task_id})
