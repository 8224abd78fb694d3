//! The reference as a target: a fresh in-process model for every case.

use super::Reply;
use super::{Session, Target, TargetError};
use crate::case::Placeholders;
use crate::reference::{Config, Reference};
use crate::wire::{answer, execute, Operation, Response};

/// The in-process reference.
#[derive(Debug, Clone, Default)]
pub struct ReferenceTarget {
    pub config: Config,
}

impl ReferenceTarget {
    pub fn new(config: Config) -> Self {
        Self { config }
    }
}

impl Target for ReferenceTarget {
    fn name(&self) -> String {
        "reference".into()
    }

    fn placeholders(&self) -> Placeholders {
        Placeholders {
            account: self.config.account.clone(),
            region: self.config.region.clone(),
            partition: self.config.partition.clone(),
            current_revision: None,
        }
    }

    fn session(&self) -> Result<Box<dyn Session + '_>, TargetError> {
        Ok(Box::new(Reference::new(self.config.clone())))
    }
}

impl Session for Reference {
    fn send(&mut self, op: &Operation) -> Result<Response, TargetError> {
        Ok(execute(self, op))
    }

    fn call(&mut self, op: &Operation) -> Result<Reply, TargetError> {
        Ok(Reply::Typed(answer(self, op)))
    }
}
