// The frontend's handler map: one handler per corpus event.
import { defineCorpusHandlers } from "./events/corpus.js";

const logged = (name: string) => ({ [name]: () => console.log(name) });

export const handlers = defineCorpusHandlers({
  task_created: (payload) => console.log(`created ${payload.title ?? "a task"}`),
  ...logged("task_deleted"),
});
