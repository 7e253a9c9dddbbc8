//! The `hipaa-scan` command line: arguments, and one module per subcommand. Exit codes: 0 clean,
//! 1 findings at or above `--fail-on`, 2 usage or input error, 3 scan incomplete with no such
//! findings.

mod args;
mod baseline;
mod docs;
mod estate;
mod policies;
mod scan;

use std::io::Write;

use anyhow::{Context, Result};

use hipaa_scan::error::Error as LibError;
use hipaa_scan::scan::Setup;

pub(crate) use args::Cli;
use args::Command;

/// Usage or input error.
pub(crate) const EXIT_INPUT: u8 = 2;

/// Wraps a library error so the CLI can print every input problem on its own line.
pub(crate) fn input<T>(r: hipaa_scan::error::Result<T>, what: &str) -> Result<T> {
    r.map_err(|e| match e {
        LibError::Input(_) => anyhow::Error::new(e).context(what.to_string()),
        other => anyhow::Error::new(other),
    })
}

pub(crate) fn input_error(source: &str, message: String) -> anyhow::Error {
    anyhow::Error::new(LibError::Input(vec![hipaa_scan::error::InputError::new(
        source, message,
    )]))
}

pub(crate) fn print_stdout(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

/// Loads the built-in policies, the extra folders and the config.
fn load_setup(policy: &args::PolicyArgs) -> Result<Setup> {
    let mut setup = input(
        Setup::load(&policy.policies, policy.config.as_deref()),
        "invalid policies or config",
    )?;
    let patterns: Vec<String> = policy.select.iter().map(|s| s.trim().to_string()).collect();
    input(
        setup.policies.select(&patterns, "--select"),
        "invalid --select",
    )?;
    Ok(setup)
}

/// Runs one subcommand and returns its exit code.
pub(crate) fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Scan(args) => scan::scan(args),
        Command::Merge(args) => scan::merge_results(args),
        Command::Map(args) => scan::map(args),
        Command::Inventory(args) => estate::inventory(args),
        Command::Policies(cmd) => policies::policies(cmd),
        Command::Docs(args) => docs::docs(&args.out, &args.readme, args.check),
        Command::Baseline(cmd) => baseline::baseline(cmd),
    }
}
