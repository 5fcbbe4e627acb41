"""A board API modelled on seed 000's: tasks, task runs, and the WebSocket
broadcasts that tell the board's clients what changed."""
