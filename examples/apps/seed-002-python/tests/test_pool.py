"""The pool's broadcasts, as the dashboard receives them."""

import asyncio
import json

from codeframe.agents.pool import AgentPoolManager
from codeframe.ui.connection_manager import ConnectionManager
from codeframe.ui.dashboard_events import DASHBOARD_EVENT_TYPES


def test_an_agent_lifecycle_sends_every_message_type() -> None:
    manager = ConnectionManager()
    pool = AgentPoolManager(manager, project_id=1)

    async def lifecycle() -> None:
        agent = await pool.create_agent("backend")
        await pool.mark_agent_busy(agent.id, 42, "Create API endpoint")
        await pool.mark_agent_idle(agent.id)
        await pool.retire_agent(agent.id)

    asyncio.run(lifecycle())
    messages = [json.loads(text) for text in manager.sent]
    assert {message["type"] for message in messages} == set(DASHBOARD_EVENT_TYPES)
    assert {k: v for k, v in messages[0].items() if k != "timestamp"} == {
        "type": "agent_created",
        "project_id": 1,
        "agent_id": "backend-worker-001",
        "agent_type": "backend",
        "status": "idle",
        "tasks_completed": 0,
    }
