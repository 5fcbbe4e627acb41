//! Where the backend emits the task events.

pub fn task_created(hub: &Hub, task: &Task) {
    hub.broadcast("task_created", task.to_json());
}

pub fn task_deleted(hub: &Hub, task_id: u64) {
    hub.broadcast("task_removed", serde_json::json!({ "task_id": task_id }));
}
