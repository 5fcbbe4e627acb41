//! Atomic writes: a failure part-way through `output::write` leaves every
//! output as it was (and no staging file behind), and concurrent writes of
//! the same outputs, from threads or processes, leave the tree wholly from one
//! writer, never mixed.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Barrier;

use eventcat_codegen::output::{self, OutputFile};
use support::{TempDir, run_pipeline, write_file};

/// Every file under `dir` with its bytes (directories as markers).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Option<Vec<u8>>>) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            if entry.file_type().unwrap().is_dir() {
                out.insert(relative, None);
                walk(root, &path, out);
            } else {
                out.insert(relative, Some(fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The real outputs of a small catalog, generated into `root/out`.
fn generated_outputs(root: &Path, title: &str) -> Vec<OutputFile> {
    // One source directory, so both generations have the same output paths.
    let source = root.join("catalog");
    write_file(
        &source,
        "catalog.yaml",
        "channel: mini\ndescription: Atomic write tests.\nprotocol_version: 1\nevents: [events]\noutputs:\n  rust: {dir: ../out/rust, package: mini-events}\n  typescript: ../out/ts/mini.ts\n  docs: ../out/docs/mini.md\n  editor_schemas: ../out/schemas\n",
    );
    write_file(
        &source,
        "events/task.yaml",
        format!(
            "resource: task\nevents:\n  - name: task_created\n    description: {title}\n    since: '0.1'\n    stability: frozen\n    payload: {{type: object, properties: {{title: {{type: string}}}}}}\n    examples: [{{title: x}}]\n"
        ),
    );
    let run = run_pipeline(&source);
    let files = run.files().to_vec();
    assert!(files.len() >= 9, "{} outputs", files.len());
    files
}

/// Where a failure is arranged, by position among the outputs.
#[derive(Clone, Copy, Debug)]
enum Blocker {
    /// A directory stands where the file goes.
    DirectoryInTheWay,
    /// A regular file stands where the file's parent directory goes.
    FileInsteadOfParent,
    /// The target name is legal but its staging name is too long.
    NameTooLongToStage,
}

fn check_failure_leaves_everything(blocker: Blocker, position: usize) {
    let scratch = TempDir::new("atomic-fail");
    let root = scratch.path();
    // The tree as a first generation left it.
    let old = generated_outputs(root, "Old text.");
    output::write(&old).unwrap();
    // The next generation changes every file...
    let mut new: Vec<OutputFile> = generated_outputs(root, "New text.")
        .into_iter()
        .map(|mut file| {
            file.contents.push_str("\n// changed\n");
            file
        })
        .collect();
    // ...and one output, at `position`, cannot be written.
    let target = match blocker {
        Blocker::DirectoryInTheWay => {
            let path = new[position].path.clone();
            fs::remove_file(&path).unwrap();
            fs::create_dir_all(path.join("in-the-way")).unwrap();
            path
        }
        Blocker::FileInsteadOfParent => {
            let parent = root.join("out/blocked");
            fs::write(&parent, "a file, not a directory").unwrap();
            parent.join("file.txt")
        }
        Blocker::NameTooLongToStage => root.join("out").join("n".repeat(250)),
    };
    if !matches!(blocker, Blocker::DirectoryInTheWay) {
        new.insert(position, OutputFile::new(target.clone(), "blocked\n"));
    }
    let before = tree(root);
    let result = output::write(&new);
    assert!(
        result.is_err(),
        "{blocker:?} at {position}: the write did not fail"
    );
    let after = tree(root);
    if before != after {
        let changed: Vec<_> = after
            .keys()
            .chain(before.keys())
            .filter(|path| before.get(*path) != after.get(*path))
            .collect();
        panic!("{blocker:?} at {position}: the failed write changed {changed:?}");
    }
}

#[test]
fn a_failure_midway_leaves_every_output_as_it_was() {
    for blocker in [
        Blocker::DirectoryInTheWay,
        Blocker::FileInsteadOfParent,
        Blocker::NameTooLongToStage,
    ] {
        // First, in the middle, last.
        for position in [0, 4, 8] {
            check_failure_leaves_everything(blocker, position);
        }
    }
}

#[test]
fn an_unwritable_directory_leaves_every_output_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = TempDir::new("atomic-readonly");
    let root = scratch.path();
    let old = generated_outputs(root, "Old text.");
    output::write(&old).unwrap();
    let new: Vec<OutputFile> = generated_outputs(root, "New text.");
    let locked = root.join("out/ts");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores directory permissions: then this setup cannot fail a write.
    let probe = locked.join(".probe");
    if fs::write(&probe, "x").is_ok() {
        fs::remove_file(&probe).unwrap();
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!(
            "skipped: this user can write into a read-only directory (root); the other blockers cover the failure path"
        );
        return;
    }
    let before = tree(root);
    assert!(output::write(&new).is_err());
    let after = tree(root);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(before == after, "the failed write changed the tree");
}

/// Two complete, different generations of the same outputs.
fn two_generations(root: &Path) -> [Vec<OutputFile>; 2] {
    let a = generated_outputs(root, "Generation A.");
    let b: Vec<OutputFile> = generated_outputs(root, "Generation B.")
        .into_iter()
        .map(|mut file| {
            // Every file differs between the generations.
            file.contents.push_str("\n/* B */\n");
            file
        })
        .collect();
    [a, b]
}

/// Which generation the tree on disk is, or a description of the mix.
fn which(generations: &[Vec<OutputFile>; 2]) -> Result<usize, String> {
    let on_disk: Vec<String> = generations[0]
        .iter()
        .map(|file| fs::read_to_string(&file.path).unwrap_or_default())
        .collect();
    for (index, generation) in generations.iter().enumerate() {
        if generation
            .iter()
            .zip(&on_disk)
            .all(|(file, disk)| &file.contents == disk)
        {
            return Ok(index);
        }
    }
    let owners: Vec<String> = on_disk
        .iter()
        .enumerate()
        .map(|(index, disk)| {
            match generations
                .iter()
                .position(|generation| &generation[index].contents == disk)
            {
                Some(owner) => ["A", "B"][owner].to_string(),
                None => "?".to_string(),
            }
        })
        .collect();
    Err(owners.join(""))
}

fn leftovers(dir: &Path) -> Vec<PathBuf> {
    tree(dir)
        .into_keys()
        .filter(|path| path.to_string_lossy().ends_with(".tmp"))
        .collect()
}

#[test]
fn concurrent_writes_from_threads_never_mix_the_tree() {
    let scratch = TempDir::new("atomic-threads");
    let generations = two_generations(scratch.path());
    let mut seen = [0, 0];
    for round in 0..60 {
        // Start from the other generation half of the time, so both writers change files.
        output::write(&generations[round % 2]).unwrap();
        let barrier = Barrier::new(4);
        let results: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|writer| {
                    let files = &generations[writer % 2];
                    let barrier = &barrier;
                    scope.spawn(move || {
                        barrier.wait();
                        output::write(files).map(|_| ())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for result in &results {
            assert!(result.is_ok(), "round {round}: a writer failed: {result:?}");
        }
        match which(&generations) {
            Ok(index) => seen[index] += 1,
            Err(mix) => panic!("round {round}: a mixed tree (file owners {mix})"),
        }
        let stray = leftovers(&scratch.path().join("out"));
        assert!(
            stray.is_empty(),
            "round {round}: staging files left: {stray:?}"
        );
    }
    assert!(seen[0] + seen[1] == 60);
}

/// Run as a child process by the test below: writes one generation, read
/// from the file the parent saved it in.
#[test]
fn child_writer() {
    let (Ok(saved), Ok(generation)) = (
        std::env::var("EVENTCAT_ATOMIC_GENERATIONS"),
        std::env::var("EVENTCAT_ATOMIC_GENERATION"),
    ) else {
        return;
    };
    let saved: Vec<Vec<(PathBuf, String)>> =
        serde_json::from_str(&fs::read_to_string(saved).unwrap()).unwrap();
    let generations: Vec<Vec<OutputFile>> = saved
        .into_iter()
        .map(|files| {
            files
                .into_iter()
                .map(|(path, contents)| OutputFile::new(path, contents))
                .collect()
        })
        .collect();
    let index: usize = generation.parse().unwrap();
    // Start together with the other writer: when the parent creates the go file.
    let go = PathBuf::from(std::env::var("EVENTCAT_ATOMIC_GO").unwrap());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !go.exists() {
        assert!(std::time::Instant::now() < deadline, "no go signal");
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    output::write(&generations[index]).unwrap();
}

#[test]
fn concurrent_gen_processes_never_mix_the_tree() {
    let scratch = TempDir::new("atomic-processes");
    let generations = two_generations(scratch.path());
    output::write(&generations[0]).unwrap();
    let saved: Vec<Vec<(&Path, String)>> = generations
        .iter()
        .map(|files| {
            files
                .iter()
                .map(|file| (file.path.as_path(), file.contents.to_string()))
                .collect()
        })
        .collect();
    let saved_path = scratch.path().join("generations.json");
    fs::write(&saved_path, serde_json::to_string(&saved).unwrap()).unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut seen = [0, 0];
    for round in 0..12 {
        // Start from the other generation half of the time, so both writers change files.
        output::write(&generations[round % 2]).unwrap();
        let go = scratch.path().join(format!("go-{round}"));
        let children: Vec<_> = (0..2)
            .map(|index| {
                Command::new(&exe)
                    .args(["--exact", "child_writer", "--quiet", "--test-threads", "1"])
                    .env("EVENTCAT_ATOMIC_GENERATIONS", &saved_path)
                    .env("EVENTCAT_ATOMIC_GENERATION", index.to_string())
                    .env("EVENTCAT_ATOMIC_GO", &go)
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        // Let both load their generation, then start them at once.
        std::thread::sleep(std::time::Duration::from_millis(150));
        fs::write(&go, "go").unwrap();
        for child in children {
            let status = child.wait_with_output().unwrap().status;
            assert!(status.success(), "round {round}: a writer process failed");
        }
        match which(&generations) {
            Ok(index) => seen[index] += 1,
            Err(mix) => panic!("round {round}: a mixed tree (file owners {mix})"),
        }
        let stray = leftovers(&scratch.path().join("out"));
        assert!(
            stray.is_empty(),
            "round {round}: staging files left: {stray:?}"
        );
    }
    assert_eq!(seen[0] + seen[1], 12);
}
