//! The `rngcheck` command. Everything happens in [`rngcheck::cli::run`].

use std::process::ExitCode;

fn main() -> ExitCode {
    rngcheck::cli::main()
}
