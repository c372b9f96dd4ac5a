//! The README's runnable examples: each block marked
//! `<!-- readme-test: CONTEXT -->` just before its fence. A line is a
//! command; a comment ending in `(exit N)` gives its exit code. In a block
//! whose lines start with `$ `, each command is followed by its exact
//! standard output. Shared by `tests/readme.rs` (`make test`) and
//! `tests/workflows.rs` (`make conformance`, for the blocks that need
//! libvirt 9.0.0).

/// One marked block.
#[derive(Debug)]
pub struct Block {
    /// What the marker says after `readme-test:` (where the block runs).
    pub context: String,
    /// The README line of the marker (1-based).
    pub line: usize,
    /// The commands, in order.
    pub commands: Vec<Example>,
}

/// One command of a block.
#[derive(Debug)]
pub struct Example {
    /// The README line (1-based).
    pub line: usize,
    /// The command line, as written (comment included: the shell drops it).
    pub shell: String,
    /// The exit code its comment gives, if any.
    pub exit: Option<i32>,
    /// For `$ ` blocks, the standard output shown below the command.
    pub output: Option<String>,
}

/// Every marked block of `readme`; an error names a marker not followed by
/// a fenced block.
pub fn blocks(readme: &str) -> Result<Vec<Block>, String> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(context) = lines[i]
            .trim()
            .strip_prefix("<!-- readme-test:")
            .and_then(|r| r.strip_suffix("-->"))
        else {
            i += 1;
            continue;
        };
        let marker = i + 1;
        if !lines.get(i + 1).is_some_and(|l| l.starts_with("```")) {
            return Err(format!(
                "README.md:{marker}: marker not followed by a fence"
            ));
        }
        let start = i + 2;
        let end = (start..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .ok_or_else(|| format!("README.md:{marker}: unclosed fence"))?;
        blocks.push(Block {
            context: context.trim().to_string(),
            line: marker,
            commands: examples(&lines[start..end], start + 1),
        });
        i = end + 1;
    }
    Ok(blocks)
}

fn examples(body: &[&str], first_line: usize) -> Vec<Example> {
    let transcript = body.iter().any(|l| l.starts_with("$ "));
    let mut out: Vec<Example> = Vec::new();
    for (k, line) in body.iter().enumerate() {
        if transcript {
            match line.strip_prefix("$ ") {
                Some(command) => out.push(example(command, first_line + k, Some(String::new()))),
                None => {
                    if let Some(Some(output)) = out.last_mut().map(|e| e.output.as_mut()) {
                        output.push_str(line);
                        output.push('\n');
                    }
                }
            }
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            out.push(example(line, first_line + k, None));
        }
    }
    out
}

fn example(line: &str, number: usize, output: Option<String>) -> Example {
    let exit = line
        .rfind("(exit ")
        .and_then(|at| line[at + 6..].split(')').next())
        .and_then(|n| n.trim().parse().ok());
    Example {
        line: number,
        shell: line.to_string(),
        exit,
        output,
    }
}

/// Runs `example` with `sh -c` in `cwd` with `path` as `PATH`; the
/// failure, if any, described.
pub fn run(example: &Example, cwd: &std::path::Path, path: &std::ffi::OsStr) -> Result<(), String> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&example.shell)
        .current_dir(cwd)
        .env("PATH", path)
        .env("RNGCHECK_INSTALLED_SCHEMAS", "")
        .env_remove("CI")
        .output()
        .map_err(|e| format!("cannot run sh: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let all = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let code = out.status.code();
    let fail = |why: String| {
        Err(format!(
            "README.md:{}: `{}`: {why}\n{all}",
            example.line, example.shell
        ))
    };
    match example.exit {
        Some(want) if code != Some(want) => {
            return fail(format!("exit {code:?}, README says {want}"))
        }
        // No exit code given: a verdict (0 or 1) on files that exist.
        None if !matches!(code, Some(0 | 1)) || all.contains("cannot read") => {
            return fail(format!("exit {code:?}: not a verdict"))
        }
        _ => {}
    }
    match &example.output {
        Some(shown) if *shown != stdout => {
            fail(format!("output differs from the README's:\n{shown}"))
        }
        _ => Ok(()),
    }
}

/// Copies the tree `from` to `to` (files and directories), to build the
/// scratch trees the examples run in.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("cannot create a directory");
    for entry in std::fs::read_dir(from).expect("cannot read a directory") {
        let entry = entry.expect("cannot read a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("cannot read a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("cannot copy a file");
        }
    }
}
