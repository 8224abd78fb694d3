//! Ctrl-C (or SIGTERM) during a run. The first stops the run the way a dead target does: no
//! case starts after it, the cases in flight finish, the fixture pools delete what they made,
//! and the reports of the cases that ran are written (the others are `not-run`); the command
//! then exits [`exit::INTERRUPTED`]. A second one quits at once, leaving fixtures behind.

use super::exit;
use addperm::runner::Interrupt;
use std::process::ExitCode;
use std::sync::OnceLock;

static INTERRUPT: OnceLock<Interrupt> = OnceLock::new();

/// The interrupt every run of this process listens to; the signal handler is installed on
/// the first call (only commands that run cases install it: `serve` handles its own signals).
pub fn watch() -> Interrupt {
    INTERRUPT
        .get_or_init(|| {
            let interrupt = Interrupt::default();
            let handler = interrupt.clone();
            // Should no handler be installable, a signal keeps its default: the process ends.
            let _ = ctrlc::set_handler(move || {
                if handler.is_interrupted() {
                    std::process::exit(i32::from(exit::INTERRUPTED));
                }
                handler.interrupt();
                eprintln!(
                    "\naddperm: interrupted: finishing the cases in flight and deleting the \
                     fixtures (interrupt again to quit at once)"
                );
            });
            interrupt
        })
        .clone()
}

/// Whether this process's runs were interrupted.
pub fn interrupted() -> bool {
    INTERRUPT.get().is_some_and(Interrupt::is_interrupted)
}

/// The exit code of a run that stopped before its last cases: interrupted, or its target
/// stopped answering.
pub fn stopped() -> ExitCode {
    if interrupted() {
        exit::interrupted()
    } else {
        exit::stopped()
    }
}
