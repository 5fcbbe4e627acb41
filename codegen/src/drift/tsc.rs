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
    /// No `node_modules/.bin/tsc` at or above the project, and none given.
    Unavailable,
    /// tsc ran; the errors (none when it passed).
    Ran(Vec<TscError>),
    /// tsc could not be started or printed something unreadable.
    Failed(String),
}

/// Type-checks the frontend the way its project builds: the tsconfig and
/// every project it references (a Vite-style root lists `"files": []` and
/// `references` only), each with `tsc -p <project> --noEmit`. `tsc` is the
/// given command, else the nearest `node_modules/.bin/tsc` at or above the
/// tsconfig's folder (npm workspaces install it at the repository root).
/// A configuration that checks no file at all fails: it would pass anything.
pub fn run(tsconfig: &Path, tsc: Option<&Path>) -> Outcome {
    let project = tsconfig.parent().unwrap_or(Path::new("."));
    let Some(tsc) = tsc.map(Path::to_path_buf).or_else(|| find_tsc(project)) else {
        return Outcome::Unavailable;
    };
    let projects = match projects(&tsc, tsconfig) {
        Ok(projects) => projects,
        Err(message) => return Outcome::Failed(message),
    };
    if projects.iter().all(|(_, files)| *files == 0) {
        return Outcome::Failed(format!(
            "`{}` checks no file: it lists none and references no project that does, so a type error would pass",
            tsconfig.display()
        ));
    }
    let mut errors = Vec::new();
    for (config, _) in projects.iter().filter(|(_, files)| *files > 0) {
        match check(&tsc, config) {
            Ok(found) => errors.extend(found),
            Err(message) => return Outcome::Failed(message),
        }
    }
    Outcome::Ran(errors)
}

/// The nearest `node_modules/.bin/tsc` at or above `dir`.
fn find_tsc(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|dir| dir.join("node_modules/.bin/tsc"))
        .find(|tsc| tsc.exists())
}

/// The tsconfig and every project it references, each with how many files
/// it checks, as `tsc --showConfig` resolves them.
fn projects(tsc: &Path, tsconfig: &Path) -> Result<Vec<(PathBuf, usize)>, String> {
    let mut pending = vec![tsconfig.to_path_buf()];
    let mut found: Vec<(PathBuf, usize)> = Vec::new();
    while let Some(config) = pending.pop() {
        if found.iter().any(|(seen, _)| *seen == config) {
            continue;
        }
        let shown = show_config(tsc, &config)?;
        let dir = config.parent().unwrap_or(Path::new("."));
        let files = shown["files"].as_array().map_or(0, Vec::len);
        for reference in shown["references"].as_array().into_iter().flatten() {
            if let Some(path) = reference["path"].as_str() {
                let path = dir.join(path);
                pending.push(if path.is_dir() {
                    path.join("tsconfig.json")
                } else {
                    path
                });
            }
        }
        found.push((config, files));
    }
    Ok(found)
}

/// `tsc --showConfig -p <config>`: the configuration with its files resolved.
fn show_config(tsc: &Path, config: &Path) -> Result<serde_json::Value, String> {
    let output = Command::new(tsc)
        .arg("--showConfig")
        .arg("-p")
        .arg(config)
        .current_dir(config.parent().unwrap_or(Path::new(".")))
        .output()
        .map_err(|error| format!("cannot run {}: {error}", tsc.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&text).map_err(|_| {
        format!(
            "tsc cannot read {}: {}{}",
            config.display(),
            text.trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        )
    })
}

/// `tsc -p <config> --noEmit --pretty false`: its errors.
fn check(tsc: &Path, config: &Path) -> Result<Vec<TscError>, String> {
    let project = config.parent().unwrap_or(Path::new("."));
    let output = Command::new(tsc)
        .arg("-p")
        .arg(config)
        .args(["--noEmit", "--pretty", "false"])
        .current_dir(project)
        .output()
        .map_err(|error| format!("cannot run {}: {error}", tsc.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let errors: Vec<TscError> = text
        .lines()
        .filter_map(|line| parse_line(project, line))
        .collect();
    if !output.status.success() && errors.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("tsc failed: {}{}", text.trim(), stderr.trim()));
    }
    Ok(errors)
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
