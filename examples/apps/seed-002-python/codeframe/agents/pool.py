"""The agent pool: creating, assigning and retiring worker agents, each
change broadcast to the project's dashboard."""

from dataclasses import dataclass

from codeframe.ui import websocket_broadcasts as ws
from codeframe.ui.connection_manager import ConnectionManager
from codeframe.ui.dashboard_events import AgentCreatedPayloadAgentType


@dataclass
class Agent:
    id: str
    agent_type: AgentCreatedPayloadAgentType
    tasks_completed: int = 0
    current_task: tuple[int, str] | None = None


# Statuses go by keyword: `eventcat check` takes a function named like
# `broadcast_*` that gets word-like literals by position for an emit
# function, and would read "working" as an event name.
class AgentPoolManager:
    def __init__(self, manager: ConnectionManager, project_id: int) -> None:
        self.manager = manager
        self.project_id = project_id
        self.agents: dict[str, Agent] = {}

    async def create_agent(self, agent_type: AgentCreatedPayloadAgentType) -> Agent:
        agent = Agent(
            id=f"{agent_type}-worker-{len(self.agents) + 1:03}", agent_type=agent_type
        )
        self.agents[agent.id] = agent
        await ws.broadcast_agent_created(
            self.manager, self.project_id, agent.id, agent.agent_type
        )
        return agent

    async def mark_agent_busy(self, agent_id: str, task_id: int, title: str) -> None:
        agent = self.agents[agent_id]
        agent.current_task = (task_id, title)
        await ws.broadcast_task_assigned(
            self.manager, self.project_id, task_id, agent.id, title
        )
        await ws.broadcast_agent_status(
            self.manager,
            self.project_id,
            agent.id,
            status="working",
            current_task=agent.current_task,
        )
        await ws.broadcast_task_status(
            self.manager,
            self.project_id,
            task_id,
            status="in_progress",
            agent_id=agent.id,
        )

    async def mark_agent_idle(self, agent_id: str) -> None:
        agent = self.agents[agent_id]
        if agent.current_task is not None:
            task_id, _ = agent.current_task
            agent.tasks_completed += 1
            await ws.broadcast_task_status(
                self.manager,
                self.project_id,
                task_id,
                status="completed",
                agent_id=agent.id,
            )
        agent.current_task = None
        await ws.broadcast_agent_status(
            self.manager, self.project_id, agent.id, status="idle"
        )

    async def retire_agent(self, agent_id: str) -> None:
        agent = self.agents.pop(agent_id)
        await ws.broadcast_agent_retired(
            self.manager, self.project_id, agent.id, agent.tasks_completed
        )
