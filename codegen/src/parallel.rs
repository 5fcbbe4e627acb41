//! An ordered parallel map for the pipeline's per-file and per-event work.

/// Maps `items` with `f` on up to one thread per core, each thread taking a
/// contiguous run; the results are in the order of `items`, so output and
/// diagnostics are the same as a sequential map. Small inputs stay on this
/// thread: spawning costs more than it saves below a few items per thread.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len() / 8)
        .max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Runs `elsewhere` on another thread while this one runs `here`, and
/// returns both results; a panic in either is this thread's.
pub fn beside<A: Send, B>(
    elsewhere: impl FnOnce() -> A + Send,
    here: impl FnOnce() -> B,
) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(elsewhere);
        let here = here();
        let other = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (other, here)
    })
}

/// One piece of independent work for [`run_all`].
pub type Job<'a, R> = Box<dyn FnOnce() -> R + Send + 'a>;

/// Runs `jobs` on up to one thread per core (this one included), each
/// thread taking the next job nobody has started, so a long job on one
/// thread leaves the short ones to the others. The results are in the
/// order of `jobs`, whatever order they finished in.
pub fn run_all<R: Send>(jobs: Vec<Job<'_, R>>) -> Vec<R> {
    let count = jobs.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(count);
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let results = std::sync::Mutex::new((0..count).map(|_| None).collect::<Vec<Option<R>>>());
    let work = || {
        loop {
            let next = queue
                .lock()
                .unwrap_or_else(|poison| poison.into_inner())
                .next();
            let Some((index, job)) = next else { break };
            let result = job();
            results.lock().unwrap_or_else(|poison| poison.into_inner())[index] = Some(result);
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        work();
        for helper in helpers {
            helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|poison| poison.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// [`run_all`] with the jobs started lowest `priority` first (jobs of
/// equal priority in their order), and the results still in the order of
/// `jobs`.
pub fn run_all_by_priority<R: Send>(jobs: Vec<(u8, Job<'_, R>)>) -> Vec<R> {
    let tagged = by_priority(jobs)
        .into_iter()
        .map(|(index, job)| -> Job<'_, (usize, R)> { Box::new(move || (index, job())) })
        .collect();
    let mut results = run_all(tagged);
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// `items` with their indices, lowest priority first (equal priorities in
/// their order).
fn by_priority<T>(items: Vec<(u8, T)>) -> Vec<(usize, T)> {
    let mut ordered: Vec<(u8, usize, T)> = items
        .into_iter()
        .enumerate()
        .map(|(index, (priority, item))| (priority, index, item))
        .collect();
    ordered.sort_by_key(|(priority, _, _)| *priority);
    ordered
        .into_iter()
        .map(|(_, index, item)| (index, item))
        .collect()
}

/// Drops `value` on a thread of its own. Freeing a large tree (the loaded
/// files, the model, the rendered outputs) takes tens of milliseconds that
/// the run need not wait for; a process that exits first leaves the memory
/// to the operating system. Without a thread to be had, `value` is dropped
/// here.
pub fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("eventcat-drop".into())
        .spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_once_each_and_their_results_keep_the_jobs_order() {
        let jobs: Vec<Job<'_, usize>> = (0..20_usize)
            .map(|n| {
                Box::new(move || {
                    std::thread::sleep(std::time::Duration::from_millis(20 - n as u64));
                    n * 10
                }) as Job<'_, usize>
            })
            .collect();
        assert_eq!(run_all(jobs), (0..20).map(|n| n * 10).collect::<Vec<_>>());
        assert!(run_all(Vec::<Job<'_, ()>>::new()).is_empty());
    }

    #[test]
    fn jobs_start_by_priority_and_their_results_keep_the_jobs_order() {
        let order: Vec<usize> = by_priority(vec![(2, 'a'), (0, 'b'), (1, 'c'), (2, 'd')])
            .into_iter()
            .map(|(index, _)| index)
            .collect();
        assert_eq!(order, [1, 2, 0, 3]);
        let jobs: Vec<(u8, Job<'_, usize>)> = [2, 0, 1, 2]
            .into_iter()
            .enumerate()
            .map(|(n, priority)| (priority, Box::new(move || n * 10) as Job<'_, usize>))
            .collect();
        assert_eq!(run_all_by_priority(jobs), [0, 10, 20, 30]);
    }

    #[test]
    fn work_beside_this_thread_returns_both_results() {
        let here = std::thread::current().id();
        let (elsewhere, this) = beside(
            || std::thread::current().id(),
            || std::thread::current().id(),
        );
        assert_ne!(elsewhere, here);
        assert_eq!(this, here);
    }

    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<usize> = (0..1000).collect();
        let doubled = map_in_order(&items, |n| n * 2);
        assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        assert_eq!(map_in_order(&[] as &[usize], |n| *n), Vec::<usize>::new());
    }

    #[test]
    fn a_value_dropped_later_is_dropped_on_another_thread() {
        struct Signal(std::sync::mpsc::Sender<std::thread::ThreadId>);
        impl Drop for Signal {
            fn drop(&mut self) {
                let _ = self.0.send(std::thread::current().id());
            }
        }
        let (sender, receiver) = std::sync::mpsc::channel();
        drop_later(Signal(sender));
        let dropped_on = receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("dropped");
        assert_ne!(dropped_on, std::thread::current().id());
    }
}
