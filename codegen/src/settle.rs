//! Each output settled as soon as its renderer has made it: checked for a
//! file eventcat did not write, compared with the file on disk and, for
//! `gen`, staged beside it. A run then holds what became of each output
//! instead of every output's contents, and writing them is one rename per
//! changed file at the end.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::contents::Contents;
use crate::output::{self, Origin, OutputFile, Staged};

/// What became of one output.
#[derive(Debug)]
pub enum Outcome {
    /// The file on disk holds it already.
    UpToDate,
    /// `gen`: written beside its target, for [`output::commit`] to rename.
    Staged(Staged),
    /// `check`: the file on disk differs or is missing. The contents are
    /// kept for the diagnostic's diff.
    OutOfDate(Arc<String>),
    /// A file eventcat did not write stands at the path: nothing was
    /// compared or staged.
    Foreign,
    /// An earlier output of the run has the same path and the same bytes.
    Repeated,
    /// An earlier output of the run has the same path and other bytes.
    Collision,
    /// `gen`: staging failed.
    Failed(io::Error),
}

/// One output, settled.
#[derive(Debug)]
pub struct Settled {
    /// Where it goes.
    pub path: PathBuf,
    /// The catalog setting that put it there.
    pub origin: Option<Origin>,
    /// What became of it.
    pub outcome: Outcome,
}

/// Where the bytes of an output settled earlier can be read again, for a
/// later output at the same path.
enum Bytes {
    /// In a file: its target when up to date, its temporary when staged.
    File(PathBuf),
    /// In memory (`check`'s out-of-date outputs).
    Held(Arc<String>),
    /// Nowhere: the output was not compared (a foreign or failed file).
    Unknown,
}

/// Settles the outputs of one run, from any thread.
pub struct Settler {
    writes: bool,
    claims: Mutex<HashMap<PathBuf, Arc<Mutex<Bytes>>>>,
}

impl Settler {
    /// For `gen`: outputs that changed are staged. The caller holds the
    /// outputs' lock ([`output::lock_outputs`]) until the commit.
    pub fn writing() -> Settler {
        Settler {
            writes: true,
            claims: Mutex::default(),
        }
    }

    /// For `check`: outputs are compared, nothing is written.
    pub fn checking() -> Settler {
        Settler {
            writes: false,
            claims: Mutex::default(),
        }
    }

    /// Settles `file`. The first output at a path claims it until it is
    /// settled; a later one waits for that and compares its bytes with it.
    pub fn settle(&self, mut file: OutputFile) -> Settled {
        let cell = Arc::new(Mutex::new(Bytes::Unknown));
        let mut claimed = locked(&cell);
        let earlier = {
            let mut claims = locked(&self.claims);
            match claims.get(&file.path) {
                Some(earlier) => Some(Arc::clone(earlier)),
                None => {
                    claims.insert(file.path.clone(), Arc::clone(&cell));
                    None
                }
            }
        };
        let outcome = match earlier {
            Some(earlier) => repeated(&file.contents, &locked(&earlier)),
            None => {
                let (outcome, bytes) = self.first(&mut file);
                *claimed = bytes;
                outcome
            }
        };
        Settled {
            path: file.path,
            origin: file.origin,
            outcome,
        }
    }

    /// What becomes of the first output at its path, and where its bytes
    /// are from now on. `check` takes the contents of an out-of-date file,
    /// for the diagnostic's diff.
    fn first(&self, file: &mut OutputFile) -> (Outcome, Bytes) {
        if output::is_foreign(&file.path) {
            return (Outcome::Foreign, Bytes::Unknown);
        }
        if !self.writes {
            return if output::is_up_to_date(&file.path, &file.contents) {
                (Outcome::UpToDate, Bytes::File(file.path.clone()))
            } else {
                let contents = Arc::new(std::mem::take(&mut file.contents).into_string());
                (
                    Outcome::OutOfDate(Arc::clone(&contents)),
                    Bytes::Held(contents),
                )
            };
        }
        match output::stage(file) {
            Ok(None) => (Outcome::UpToDate, Bytes::File(file.path.clone())),
            Ok(Some(staged)) => {
                let bytes = Bytes::File(staged.temporary().to_path_buf());
                (Outcome::Staged(staged), bytes)
            }
            Err(error) => (Outcome::Failed(error), Bytes::Unknown),
        }
    }
}

/// A later output at a path settled already: the same bytes, or a collision.
fn repeated(contents: &Contents, earlier: &Bytes) -> Outcome {
    let same = match earlier {
        Bytes::File(path) => output::is_up_to_date(path, contents),
        Bytes::Held(held) => contents == held.as_str(),
        Bytes::Unknown => true,
    };
    if same {
        Outcome::Repeated
    } else {
        Outcome::Collision
    }
}

/// The lock's guard, poisoned or not: a panic elsewhere leaves the map and
/// the claims whole.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;
    use std::fs;

    fn file(dir: &TestDir, name: &str, contents: &str) -> OutputFile {
        OutputFile::new(dir.join(name), contents)
    }

    #[test]
    fn gen_stages_what_changed_and_nothing_else() {
        let dir = TestDir::new("settle-gen");
        fs::write(dir.join("same.ts"), "// @generated by eventcat\nsame\n").unwrap();
        fs::write(dir.join("old.ts"), "// @generated by eventcat\nold\n").unwrap();
        fs::write(dir.join("mine.ts"), "hand-written\n").unwrap();
        let settler = Settler::writing();
        let same = settler.settle(file(&dir, "same.ts", "// @generated by eventcat\nsame\n"));
        assert!(matches!(same.outcome, Outcome::UpToDate));
        let changed = settler.settle(file(&dir, "old.ts", "// @generated by eventcat\nnew\n"));
        let Outcome::Staged(staged) = changed.outcome else {
            panic!("{:?}", changed.outcome)
        };
        let temporary = staged.temporary().to_path_buf();
        assert!(temporary.exists());
        let mine = settler.settle(file(&dir, "mine.ts", "// @generated by eventcat\n"));
        assert!(matches!(mine.outcome, Outcome::Foreign));
        assert_eq!(
            fs::read_to_string(dir.join("mine.ts")).unwrap(),
            "hand-written\n"
        );
        // Dropped uncommitted, a staged file leaves nothing behind.
        drop(staged);
        assert!(!temporary.exists());
        assert_eq!(
            fs::read_to_string(dir.join("old.ts")).unwrap(),
            "// @generated by eventcat\nold\n"
        );
    }

    #[test]
    fn a_committed_file_replaces_its_target() {
        let dir = TestDir::new("settle-commit");
        let settler = Settler::writing();
        let settled = settler.settle(file(&dir, "a/new.md", "<!-- @generated by eventcat -->\n"));
        let Outcome::Staged(staged) = settled.outcome else {
            panic!("{:?}", settled.outcome)
        };
        assert_eq!(
            output::commit(vec![staged]).unwrap(),
            [dir.join("a/new.md")]
        );
        assert_eq!(
            fs::read_to_string(dir.join("a/new.md")).unwrap(),
            "<!-- @generated by eventcat -->\n"
        );
    }

    #[test]
    fn a_second_output_at_one_path_must_have_the_same_bytes() {
        for writes in [true, false] {
            let dir = TestDir::new("settle-repeat");
            fs::write(dir.join("kept.json"), "@generated by eventcat {}\n").unwrap();
            let settler = if writes {
                Settler::writing()
            } else {
                Settler::checking()
            };
            for name in ["kept.json", "new.json"] {
                let contents = format!("@generated by eventcat {name}\n");
                let first = settler.settle(file(&dir, name, &contents));
                assert!(!matches!(first.outcome, Outcome::Repeated));
                let again = settler.settle(file(&dir, name, &contents));
                assert!(
                    matches!(again.outcome, Outcome::Repeated),
                    "{writes} {name}"
                );
                let other = settler.settle(file(&dir, name, "@generated by eventcat other\n"));
                assert!(
                    matches!(other.outcome, Outcome::Collision),
                    "{writes} {name}"
                );
            }
        }
    }

    #[test]
    fn check_compares_without_writing() {
        let dir = TestDir::new("settle-check");
        fs::write(dir.join("same.ts"), "// @generated by eventcat\n").unwrap();
        let settler = Settler::checking();
        let same = settler.settle(file(&dir, "same.ts", "// @generated by eventcat\n"));
        assert!(matches!(same.outcome, Outcome::UpToDate));
        let missing = settler.settle(file(&dir, "missing.ts", "// @generated by eventcat\n"));
        let Outcome::OutOfDate(contents) = missing.outcome else {
            panic!("{:?}", missing.outcome)
        };
        assert_eq!(contents.as_str(), "// @generated by eventcat\n");
        assert!(!dir.join("missing.ts").exists());
    }
}
