//! The race windows of the concurrency faults ([`Fault::CONCURRENT`]): where `serve` lets go
//! of its state between two steps that a correct server does at once.
//!
//! Without one of those faults every request routes and executes under the one lock. With
//! `lost-update`, AddPermission runs on a copy of the state taken under the lock and writes
//! the copy back after a pause (an emulator that loads its state, changes it and saves it,
//! with no lock across the three); with `shared-response-buffer`, every answer is put in one
//! buffer all requests share and read back after a pause (moto once kept one response object
//! for every request). Sent one at a time, requests get the right answers either way, so only
//! a concurrent client sees these bugs; the pause is what makes the window wide enough that
//! the race modes hit it in every run.

use crate::reference::{Fault, Reference};
use crate::wire::route::route;
use crate::wire::{execute, Operation, Response};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How long a window stays open: long against a loopback request (well under a millisecond),
/// short against a run.
const WINDOW: Duration = Duration::from_millis(5);

/// What every request of one server shares.
#[derive(Debug)]
pub(super) struct Shared {
    reference: Mutex<Reference>,
    /// The buffer `shared-response-buffer` passes every answer through.
    buffer: Mutex<Option<Response>>,
    fault: Option<Fault>,
}

impl Shared {
    pub(super) fn new(reference: Reference) -> Shared {
        Shared {
            fault: reference.config().fault,
            reference: Mutex::new(reference),
            buffer: Mutex::new(None),
        }
    }

    /// The answer to one HTTP request, through the active fault's window if it has one.
    pub(super) async fn answer(&self, method: &str, target: &str, body: &[u8]) -> Response {
        let op = match route(method, target, body) {
            Ok(op) => op,
            Err(response) => return response,
        };
        match self.fault {
            Some(Fault::LostUpdate) if matches!(op, Operation::AddPermission(_)) => {
                let mut copy = lock(&self.reference).clone();
                let response = executed(&mut copy, &op);
                tokio::time::sleep(WINDOW).await;
                *lock(&self.reference) = copy;
                response
            }
            Some(Fault::SharedResponseBuffer) => {
                let response = executed(&mut lock(&self.reference), &op);
                *lock(&self.buffer) = Some(response.clone());
                tokio::time::sleep(WINDOW).await;
                lock(&self.buffer).clone().unwrap_or(response)
            }
            _ => executed(&mut lock(&self.reference), &op),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `op` executed on `reference`. A panic is a bug in the reference; it is answered as AWS
/// answers its own faults rather than by dropping the client's connection.
fn executed(reference: &mut Reference, op: &Operation) -> Response {
    catch_unwind(AssertUnwindSafe(|| execute(reference, op)))
        .unwrap_or_else(|_| super::service::internal_error())
}
