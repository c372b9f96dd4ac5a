//! The `rngcheck` command. Everything happens in [`rngcheck::cli::run`].

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a run allocates and frees a
/// tree per document, and glibc's malloc spent a tenth of a run in
/// allocation, freeing and page faults.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    rngcheck::cli::main()
}
