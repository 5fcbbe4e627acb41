"""The dashboard's WebSocket connections."""

from codeframe.ui.dashboard_events import DashboardEnvelope, encode


class ConnectionManager:
    """Every open dashboard connection (here: what was sent to them)."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def broadcast(self, message: DashboardEnvelope) -> None:
        """Sends one message to every connection; never raises (best-effort)."""
        self.sent.append(encode(message))
