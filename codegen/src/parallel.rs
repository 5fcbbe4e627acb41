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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<usize> = (0..1000).collect();
        let doubled = map_in_order(&items, |n| n * 2);
        assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        assert_eq!(map_in_order(&[] as &[usize], |n| *n), Vec::<usize>::new());
    }
}
