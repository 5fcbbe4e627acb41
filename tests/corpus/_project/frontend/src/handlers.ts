// The frontend's handler map: one handler per corpus event.
import { defineCorpusHandlers } from "./events/corpus.js";

export const handlers = defineCorpusHandlers({
  task_created: (payload) => console.log(`created ${payload.title ?? "a task"}`),
  task_deleted: (payload) => console.log(`deleted ${payload.task_id}`),
});
