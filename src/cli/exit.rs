//! The exit codes of every command, in one place (README.md and REPORTS.md document them):
//! what a CI step and a script branch on.

use std::process::ExitCode;

/// The exit codes of `check` and `replay`, for their `--help`.
pub const RUN_CODES: &str = "Exit codes: 0 every case passed (or matched the baseline), 1 one did \
not, 2 the command could not run (bad arguments, an unreadable case file, a report path that \
cannot be written), 3 the target stopped answering and the run stopped before its last cases, \
130 the run was interrupted (Ctrl-C or SIGTERM: the cases in flight finish, the fixtures are \
deleted, the reports of the cases that ran are written; a second Ctrl-C quits at once).";

/// 0: everything passed (`diff`: the targets agreed; `fuzz`: no finding).
pub fn passed() -> ExitCode {
    ExitCode::SUCCESS
}

/// 1: a case did not pass (`diff`: two answers differed; `fuzz`: a finding; `contract
/// --check-doc`: the page moved).
pub fn failed() -> ExitCode {
    ExitCode::from(1)
}

/// 2: the command could not run (bad arguments, an unreadable case file, a report path that
/// cannot be written, a target that could not be set up).
pub const UNUSABLE: u8 = 2;

/// [`UNUSABLE`] as an exit code.
pub fn unusable() -> ExitCode {
    ExitCode::from(UNUSABLE)
}

/// 3: the target stopped answering, so the run stopped before its last cases (`check`,
/// `replay`; not with `--keep-going`): the report says where and why, once, and lists the
/// cases not run. Apart from 1, since no verdict about the implementation was reached for
/// them: a CI step can tell "the emulator is wrong" from "the emulator is gone".
pub fn stopped() -> ExitCode {
    ExitCode::from(3)
}

/// 130 (128 + SIGINT, as shells report it): the run was interrupted (Ctrl-C or SIGTERM) and
/// stopped before its last cases, after writing the reports of those that ran.
pub const INTERRUPTED: u8 = 130;

/// [`INTERRUPTED`] as an exit code.
pub fn interrupted() -> ExitCode {
    ExitCode::from(INTERRUPTED)
}

/// [`passed`] when `ok`, else [`failed`].
pub fn verdict(ok: bool) -> ExitCode {
    if ok {
        passed()
    } else {
        failed()
    }
}
