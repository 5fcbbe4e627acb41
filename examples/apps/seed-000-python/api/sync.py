"""The board's WebSocket fan-out.

Every board event goes out through `broadcast_board_event()` (or
`abroadcast_board_event()` from async code) with its name as a string
literal, so `eventcat check` can find each emit site. The overloads pair
each name with its payload type from the generated `board_events` module:
`mypy --strict` rejects a payload that does not match its event.
"""

import asyncio
from collections.abc import Mapping
from typing import Literal, cast, overload

from api.board_events import (
    PROTOCOL_VERSION,
    BoardEnvelope,
    BoardEventType,
    TaskCreatedPayload,
    TaskDeletedPayload,
    TaskRunCancelledPayload,
    TaskRunCompletedPayload,
    TaskRunProgressPayload,
    TaskRunStartedPayload,
    TaskUpdatedPayload,
    encode,
)


class Hub:
    """The open WebSocket connections of one project (here: what was sent)."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send_all(self, text: str) -> None:
        self.sent.append(text)


hub = Hub()


def _send(event_type: BoardEventType, payload: Mapping[str, object]) -> None:
    message = {
        "protocol_version": PROTOCOL_VERSION,
        "event_type": event_type,
        "payload": payload,
    }
    hub.send_all(encode(cast(BoardEnvelope, message)))


@overload
def broadcast_board_event(
    event_type: Literal["task_created"], payload: TaskCreatedPayload
) -> None: ...
@overload
def broadcast_board_event(
    event_type: Literal["task_updated"], payload: TaskUpdatedPayload
) -> None: ...
@overload
def broadcast_board_event(
    event_type: Literal["task_deleted"], payload: TaskDeletedPayload
) -> None: ...
@overload
def broadcast_board_event(
    event_type: Literal["task_run_started"], payload: TaskRunStartedPayload
) -> None: ...
@overload
def broadcast_board_event(
    event_type: Literal["task_run_progress"], payload: TaskRunProgressPayload
) -> None: ...
@overload
def broadcast_board_event(
    event_type: Literal["task_run_completed"], payload: TaskRunCompletedPayload
) -> None: ...
@overload
def broadcast_board_event(
    event_type: Literal["task_run_cancelled"], payload: TaskRunCancelledPayload
) -> None: ...
def broadcast_board_event(
    event_type: BoardEventType, payload: Mapping[str, object]
) -> None:
    """Sends one board event to every client of the project."""
    _send(event_type, payload)


@overload
async def abroadcast_board_event(
    event_type: Literal["task_created"], payload: TaskCreatedPayload
) -> None: ...
@overload
async def abroadcast_board_event(
    event_type: Literal["task_updated"], payload: TaskUpdatedPayload
) -> None: ...
@overload
async def abroadcast_board_event(
    event_type: Literal["task_deleted"], payload: TaskDeletedPayload
) -> None: ...
@overload
async def abroadcast_board_event(
    event_type: Literal["task_run_started"], payload: TaskRunStartedPayload
) -> None: ...
@overload
async def abroadcast_board_event(
    event_type: Literal["task_run_progress"], payload: TaskRunProgressPayload
) -> None: ...
@overload
async def abroadcast_board_event(
    event_type: Literal["task_run_completed"], payload: TaskRunCompletedPayload
) -> None: ...
@overload
async def abroadcast_board_event(
    event_type: Literal["task_run_cancelled"], payload: TaskRunCancelledPayload
) -> None: ...
async def abroadcast_board_event(
    event_type: BoardEventType, payload: Mapping[str, object]
) -> None:
    """`broadcast_board_event()` for async code: the send runs off the loop."""
    await asyncio.to_thread(_send, event_type, payload)
