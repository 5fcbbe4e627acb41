//! Runs the frontend's own TypeScript compiler, so a handler map that the
//! generated types reject fails `check` too.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One `tsc` error: file, 1-based line and column, code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TscError {
    /// The file, as tsc printed it (relative to the project directory).
    pub file: PathBuf,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// `TS2741` and the message.
    pub message: String,
}

/// What running tsc gave.
#[derive(Debug)]
pub enum Outcome {
    /// No `node_modules/.bin/tsc` in the project (run `npm ci` there).
    Unavailable,
    /// tsc ran; the errors (none when it passed).
    Ran(Vec<TscError>),
    /// tsc could not be started or printed something unreadable.
    Failed(String),
}

/// `tsc -p <tsconfig> --noEmit --pretty false` with the project's own tsc.
pub fn run(tsconfig: &Path) -> Outcome {
    let project = tsconfig.parent().unwrap_or(Path::new("."));
    let tsc = project.join("node_modules/.bin/tsc");
    if !tsc.exists() {
        return Outcome::Unavailable;
    }
    let output = match Command::new(&tsc)
        .arg("-p")
        .arg(tsconfig)
        .args(["--noEmit", "--pretty", "false"])
        .current_dir(project)
        .output()
    {
        Ok(output) => output,
        Err(error) => return Outcome::Failed(format!("cannot run {}: {error}", tsc.display())),
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let errors: Vec<TscError> = text
        .lines()
        .filter_map(|line| parse_line(project, line))
        .collect();
    if !output.status.success() && errors.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Outcome::Failed(format!("tsc failed: {}{}", text.trim(), stderr.trim()));
    }
    Outcome::Ran(errors)
}

/// `src/handlers.ts(12,3): error TS2741: Property 'x' is missing ...`.
fn parse_line(project: &Path, line: &str) -> Option<TscError> {
    let (place, message) = line.split_once("): error ")?;
    let (file, position) = place.rsplit_once('(')?;
    let (row, column) = position.split_once(',')?;
    Some(TscError {
        file: project.join(file.trim()),
        line: row.trim().parse().ok()?,
        column: column.trim().parse().ok()?,
        message: message.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tsc_error_lines() {
        let error = parse_line(
            Path::new("/p"),
            "src/handlers.ts(12,3): error TS2353: Object literal may only specify known properties, and 'task_exploded' does not exist in type 'BoardHandlers'.",
        )
        .unwrap();
        assert_eq!(error.file, PathBuf::from("/p/src/handlers.ts"));
        assert_eq!((error.line, error.column), (12, 3));
        assert!(error.message.starts_with("TS2353: Object literal"));
        assert!(parse_line(Path::new("/p"), "Found 1 error.").is_none());
    }
}
