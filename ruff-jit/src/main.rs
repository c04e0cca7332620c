//! The `ruff` binary: `ruff run FILE` and `ruff bench FILE` (see `cli`).

mod cli;

fn main() {
    std::process::exit(cli::main());
}
