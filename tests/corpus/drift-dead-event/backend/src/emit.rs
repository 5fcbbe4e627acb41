//! Where the backend emits the task events.

pub fn task_created(hub: &Hub, task: &Task) {
    hub.broadcast("task_created", task.to_json());
}
