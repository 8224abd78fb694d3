//! Choosing a target from its command-line spelling. Every command that takes a target
//! (`check`, `replay`, `diff`) goes through [`target_from_spec`], so a new kind of target is
//! added in one place.

use addperm::reference::{Config, Fault};
use addperm::target::{ReferenceTarget, Target};
use anyhow::bail;

/// Where the target lives: the values of `${ACCOUNT}`, `${REGION}` and `${PARTITION}`.
#[derive(Debug, Clone, clap::Args)]
pub struct TargetOptions {
    /// The target's account id (the value of ${ACCOUNT}).
    #[arg(long, default_value = addperm::contract::DEFAULT_ACCOUNT)]
    account: String,
    /// The target's region (${REGION}).
    #[arg(long, default_value = addperm::contract::DEFAULT_REGION)]
    region: String,
    /// The target's partition (${PARTITION}).
    #[arg(long, default_value = addperm::contract::DEFAULT_PARTITION)]
    partition: String,
    /// With `--target reference`: give the reference one deliberate bug from the fault
    /// catalogue (`addperm faults` lists them), to see what the suite catches.
    #[arg(long, value_name = "NAME", value_parser = parse_fault)]
    fault: Option<Fault>,
}

/// A fault by its id, for clap.
pub fn parse_fault(id: &str) -> Result<Fault, String> {
    Fault::from_id(id).ok_or_else(|| {
        let ids: Vec<&str> = Fault::ALL.iter().map(|f| f.id()).collect();
        format!("unknown fault {id:?}; known: {}", ids.join(", "))
    })
}

/// The target `spec` names: `reference` (the in-process reference) or, once built, an
/// `http://`/`https://` base URL of an implementation.
pub fn target_from_spec(spec: &str, opts: &TargetOptions) -> anyhow::Result<Box<dyn Target>> {
    match spec {
        "reference" => Ok(Box::new(ReferenceTarget::new(Config {
            account: opts.account.clone(),
            region: opts.region.clone(),
            partition: opts.partition.clone(),
            fault: opts.fault,
            ..Config::default()
        }))),
        url if url.starts_with("http://") || url.starts_with("https://") => {
            bail!("target {url:?}: HTTP targets: not built in this branch")
        }
        other => bail!("unknown target {other:?}: use `reference` or an http:// URL"),
    }
}
