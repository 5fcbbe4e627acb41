"""The dashboard broadcasts: one function per message type, each sending a
flat dict literal whose `type` names the event. `eventcat check` reads the
`type` of every message passed to `manager.broadcast()`; `mypy --strict`
checks each literal against the generated `DashboardEnvelope` union."""

from datetime import UTC, datetime

from codeframe.ui.connection_manager import ConnectionManager
from codeframe.ui.dashboard_events import (
    AgentCreatedPayloadAgentType,
    AgentStatusChangedPayloadStatus,
    TaskStatusChangedPayloadStatus,
)


def _now() -> str:
    """ISO 8601 in UTC with milliseconds: `2025-11-08T14:30:45.123Z`."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def broadcast_agent_created(
    manager: ConnectionManager,
    project_id: int,
    agent_id: str,
    agent_type: AgentCreatedPayloadAgentType,
    tasks_completed: int = 0,
) -> None:
    await manager.broadcast(
        {
            "type": "agent_created",
            "project_id": project_id,
            "agent_id": agent_id,
            "agent_type": agent_type,
            "status": "idle",
            "tasks_completed": tasks_completed,
            "timestamp": _now(),
        }
    )


async def broadcast_agent_retired(
    manager: ConnectionManager,
    project_id: int,
    agent_id: str,
    tasks_completed: int = 0,
) -> None:
    await manager.broadcast(
        {
            "type": "agent_retired",
            "project_id": project_id,
            "agent_id": agent_id,
            "tasks_completed": tasks_completed,
            "timestamp": _now(),
        }
    )


async def broadcast_agent_status(
    manager: ConnectionManager,
    project_id: int,
    agent_id: str,
    status: AgentStatusChangedPayloadStatus,
    current_task: tuple[int, str] | None = None,
    progress: int = 0,
) -> None:
    if current_task is None:
        await manager.broadcast(
            {
                "type": "agent_status_changed",
                "project_id": project_id,
                "agent_id": agent_id,
                "status": status,
                "timestamp": _now(),
            }
        )
        return
    task_id, title = current_task
    await manager.broadcast(
        {
            "type": "agent_status_changed",
            "project_id": project_id,
            "agent_id": agent_id,
            "status": status,
            "current_task": {"id": task_id, "title": title},
            "progress": progress,
            "timestamp": _now(),
        }
    )


async def broadcast_task_assigned(
    manager: ConnectionManager,
    project_id: int,
    task_id: int,
    agent_id: str,
    task_title: str,
) -> None:
    await manager.broadcast(
        {
            "type": "task_assigned",
            "project_id": project_id,
            "task_id": task_id,
            "agent_id": agent_id,
            "task_title": task_title,
            "timestamp": _now(),
        }
    )


async def broadcast_task_status(
    manager: ConnectionManager,
    project_id: int,
    task_id: int,
    status: TaskStatusChangedPayloadStatus,
    agent_id: str,
) -> None:
    await manager.broadcast(
        {
            "type": "task_status_changed",
            "project_id": project_id,
            "task_id": task_id,
            "status": status,
            "agent_id": agent_id,
            "timestamp": _now(),
        }
    )
