//! The `hipaa-scan` binary: parse the command line, dispatch, print errors. Everything else is in
//! `cli/` (one module per subcommand) and the library.

mod cli;

use cli::{run, Cli, EXIT_INPUT};

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use hipaa_scan::error::Error as LibError;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INPUT } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let lib = e.downcast_ref::<LibError>();
            let mut stderr = std::io::stderr().lock();
            match lib {
                Some(LibError::Input(errors)) => {
                    let _ = writeln!(
                        stderr,
                        "error: {}",
                        e.chain().next().map(|c| c.to_string()).unwrap_or_default()
                    );
                    for err in errors {
                        let _ = writeln!(stderr, "  {err}");
                    }
                }
                _ => {
                    let _ = writeln!(stderr, "error: {e:#}");
                }
            }
            ExitCode::from(EXIT_INPUT)
        }
    }
}
