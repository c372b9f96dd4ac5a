//! The `rngcheck` command. Everything happens in the library's command-line module.

use std::process::ExitCode;

fn main() -> ExitCode {
    rngcheck::cli_main()
}
