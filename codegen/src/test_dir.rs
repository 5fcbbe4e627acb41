//! A directory of its own for a unit test that reads and writes files:
//! fresh when the test starts, removed when the test is done with it, also
//! when it fails, so test runs leave nothing behind in the system's
//! temporary directory.

use std::path::{Path, PathBuf};

/// A fresh, empty directory under the system's temporary directory, named
/// for its test and this process so parallel runs do not meet.
pub(crate) struct TestDir(PathBuf);

impl TestDir {
    /// `<temp>/eventcat-<name>-<process id>`, empty, with its real path
    /// (the temporary directory may be reached through a link).
    pub(crate) fn new(name: &str) -> TestDir {
        let path = std::env::temp_dir().join(format!("eventcat-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a test directory");
        TestDir(std::fs::canonicalize(&path).expect("a test directory's real path"))
    }
}

impl std::ops::Deref for TestDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TestDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_directory_is_fresh_and_removed_after_use() {
        let path = {
            let dir = TestDir::new("test-dir");
            assert!(std::fs::read_dir(&dir).unwrap().next().is_none());
            std::fs::write(dir.join("file"), "x").unwrap();
            dir.to_path_buf()
        };
        assert!(!path.exists());
    }
}
