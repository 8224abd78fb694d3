//! Shared by the integration tests: the curated cases, and targets that answer wrongly on
//! purpose so reports have something to report.

#![allow(dead_code)] // each test crate uses its own part of this module

use addperm::case::{Case, Placeholders};
use addperm::target::{ReferenceTarget, Session, Target, TargetError};
use addperm::wire::{Operation, Response};
use std::path::{Path, PathBuf};

pub fn curated_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/aws-behaviour.jsonl")
}

pub fn curated() -> Vec<Case> {
    addperm::case::read(&curated_path()).expect("the curated cases parse")
}

/// What a wrapped target does differently from the reference.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// Answers every AddPermission 404 with status 400 (body unchanged).
    NotFoundAs400,
    /// Gives every case's functions its own name (`<name>-r1`), as targets with shared state do.
    Renames,
}

/// The reference with one fault.
pub struct Faulty {
    pub inner: ReferenceTarget,
    pub fault: Fault,
}

pub fn faulty(fault: Fault) -> Faulty {
    Faulty {
        inner: ReferenceTarget::default(),
        fault,
    }
}

impl Target for Faulty {
    fn name(&self) -> String {
        format!("faulty-{:?}", self.fault)
    }

    fn placeholders(&self) -> Placeholders {
        self.inner.placeholders()
    }

    fn session(&self) -> Result<Box<dyn Session + '_>, TargetError> {
        Ok(Box::new(FaultySession {
            inner: self.inner.session()?,
            fault: self.fault,
        }))
    }

    fn base_url(&self) -> Option<String> {
        Some("http://127.0.0.1:4010".into())
    }
}

struct FaultySession<'a> {
    inner: Box<dyn Session + 'a>,
    fault: Fault,
}

impl Session for FaultySession<'_> {
    fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
        let mut response = self.inner.send(op)?;
        if matches!(self.fault, Fault::NotFoundAs400)
            && matches!(op, Operation::AddPermission(_))
            && response.status == 404
        {
            response.status = 400;
        }
        Ok(response)
    }

    fn function_name(&self, original: &str) -> String {
        match self.fault {
            Fault::Renames => format!("{original}-r1"),
            Fault::NotFoundAs400 => original.to_string(),
        }
    }
}
