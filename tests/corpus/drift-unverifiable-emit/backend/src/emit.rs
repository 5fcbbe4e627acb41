//! Where the backend emits the task events.

pub fn task_created(hub: &Hub, task: &Task) {
    hub.broadcast("task_created", task.to_json());
}

pub fn task_changed(hub: &Hub, task_id: u64, change: &str) {
    let event = format!("task_{change}");
    hub.broadcast(&event, serde_json::json!({ "task_id": task_id }));
}
