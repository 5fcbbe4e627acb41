// Handles every message in one place.
export function onMessage(message: { event_type: string; payload: unknown }) {
  handlers.get(message.event_type)?.(message.payload);
}

const handlers = new Map<string, (payload: unknown) => void>([
  ["task_created", (payload) => console.log("created", payload)],
  ["task_deleted", (payload) => console.log("deleted", payload)],
]);
