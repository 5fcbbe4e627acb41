"""Seed 000's freeze guard, now derived from the catalog: the generated
module's event set is the frozen set. (Test code is no emit evidence for
`eventcat check`: the fake event below does not count.)"""

import asyncio
import json

from api import task_runs, tasks
from api.board_events import BOARD_EVENT_TYPES
from api.sync import broadcast_board_event, hub

FROZEN_WS_EVENT_TYPES = frozenset(BOARD_EVENT_TYPES)


def test_every_event_goes_out_in_its_envelope() -> None:
    hub.sent.clear()
    tasks.create_task(4812, "Write the docs", 37)
    tasks.update_task_status(4812, "done")
    run = task_runs.start_run(4812)
    asyncio.run(task_runs.report_progress(run, 40))
    task_runs.finish_run(run)
    task_runs.cancel_run(task_runs.start_run(4812))
    asyncio.run(tasks.delete_task(4812))
    sent = {json.loads(text)["event_type"] for text in hub.sent}
    assert sent == FROZEN_WS_EVENT_TYPES
    assert json.loads(hub.sent[0]) == {
        "protocol_version": 1,
        "event_type": "task_created",
        "payload": {"task_id": 4812, "phase_id": 37},
    }


def test_a_fixture_event_is_no_emit_site() -> None:
    broadcast_board_event("task_created", {"task_id": 1, "phase_id": None})
