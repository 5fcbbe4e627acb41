"""A multi-agent coordinator modelled on seed 002 (CodeFRAME): an agent pool
whose changes are broadcast to the dashboard over one WebSocket."""
