//! Where the public corpora of real event schemas are, for the test crates
//! of the workspace (`tests/` and `cli/tests/` both include this file).

use std::path::{Path, PathBuf};

/// The corpora (`shared/corpora`, read in place): `$EVENTCAT_CORPORA`, else
/// `shared/corpora` beside `repository`, the working directory, or one of
/// their parents, else the workplace's `/work/shared/corpora`. A test that
/// needs them fails without them.
pub fn find(repository: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("EVENTCAT_CORPORA") {
        return PathBuf::from(dir);
    }
    let here = std::env::current_dir().unwrap_or_default();
    repository
        .ancestors()
        .chain(here.ancestors())
        .map(|dir| dir.join("shared/corpora"))
        .chain([PathBuf::from("/work/shared/corpora")])
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "no shared/corpora beside {} or above it: set EVENTCAT_CORPORA to the corpora folder",
                repository.display()
            )
        })
}
