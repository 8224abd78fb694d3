//! Doc drift: reading an AddPermission API reference page and saying where it differs from the
//! contract's recorded doc values and from what the contract enforces.
//!
//! AWS edits the page and the service model several times a year, and fixtures follow the
//! contract, so a maintainer needs one command that tells whether the documented contract moved.
//! The page exists in several languages and layouts that must read to the same contract;
//! [`extract`] reduces any of them to an [`ExtractedPage`], [`compare`] does the rest.

mod compare;
mod extract;

pub use compare::{compare, Deviation};
pub use extract::{
    extract, ExtractedError, ExtractedMember, ExtractedPage, Language, Layout, PageError,
};

use super::Contract;

/// A page read and compared.
#[derive(Debug, Clone)]
pub struct PageCheck {
    pub page: ExtractedPage,
    pub deviations: Vec<Deviation>,
}

impl PageCheck {
    /// Reads `text` and compares it with `contract`.
    pub fn run(text: &str, contract: &Contract) -> Result<PageCheck, PageError> {
        let page = extract(text)?;
        let deviations = compare(&page, contract);
        Ok(PageCheck { page, deviations })
    }

    /// Where the page moved away from the contract's recorded doc values.
    pub fn drift(&self) -> impl Iterator<Item = &Deviation> {
        self.deviations.iter().filter(|f| f.drift)
    }

    /// Where the page, like the recorded doc values, differs from what is enforced.
    pub fn known(&self) -> impl Iterator<Item = &Deviation> {
        self.deviations.iter().filter(|f| !f.drift)
    }

    /// Whether the page states exactly the contract's recorded doc values.
    pub fn matches_doc(&self) -> bool {
        self.drift().next().is_none()
    }
}
