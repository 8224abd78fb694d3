//! Choosing the implementation a command runs against: the in-process reference or a URL.
//! Every command that takes a target (`check`, `replay`, `diff`, `fuzz`, `record`) goes
//! through [`target_from_spec`], so each takes the same options and a new kind of target is
//! added in one place.
//!
//! Where the AWS SDKs read an endpoint or a region from the environment, so does addperm, so a
//! CI job that points its SDK tests at an emulator points addperm there too; a flag always
//! wins over the environment.

use super::choices::{FixturesArg, IsolationArg};
use addperm::case::Placeholders;
use addperm::contract::provisioning;
use addperm::outcome::Compare;
use addperm::reference::{Config, Fault};
use addperm::runner::RunOptions;
use addperm::target::{
    Credentials, HttpOptions, HttpTarget, ReferenceTarget, RoleCreated, RoleError, Signing, Target,
};
use anyhow::bail;
use std::time::Duration;

/// Where a target given by no `--target` comes from, in order: the AWS SDKs' Lambda endpoint,
/// then their endpoint for every service.
const ENDPOINT_VARS: [&str; 2] = ["AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"];

/// Where a region given by no `--region` comes from, in order, as in the AWS SDKs.
const REGION_VARS: [&str; 2] = ["AWS_REGION", "AWS_DEFAULT_REGION"];

/// The first of `vars` set to something other than the empty string (which the SDKs treat as
/// unset).
fn from_env(vars: &[&str]) -> Option<String> {
    vars.iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
}

/// The target a command runs against: `--target`, else `$AWS_ENDPOINT_URL_LAMBDA`, else
/// `$AWS_ENDPOINT_URL`, else `None`.
pub fn target_spec(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| from_env(&ENDPOINT_VARS))
}

/// Where the target lives (the values of `${ACCOUNT}`, `${REGION}`, `${PARTITION}`), and how to
/// reach it.
#[derive(Debug, Clone, clap::Args)]
pub struct TargetOptions {
    #[command(flatten)]
    place: Place,
    /// With `--target reference`: give the reference one deliberate bug from the fault
    /// catalogue (`addperm faults` lists them), to see what the suite catches. For HTTP, start
    /// `addperm serve --fault NAME` instead.
    #[arg(long, value_name = "NAME", value_parser = parse_fault)]
    fault: Option<Fault>,
    #[command(flatten)]
    http: HttpArgs,
}

/// The account, region and partition an implementation lives in: the values of `${ACCOUNT}`,
/// `${REGION}` and `${PARTITION}` for a target, and where `serve` emulates.
#[derive(Debug, Clone, clap::Args)]
pub struct Place {
    /// The account id (the value of ${ACCOUNT}).
    #[arg(long, default_value = addperm::contract::DEFAULT_ACCOUNT)]
    pub account: String,
    /// The region (${REGION}) [default: $AWS_REGION, else $AWS_DEFAULT_REGION, else us-east-1].
    #[arg(long)]
    region: Option<String>,
    /// The partition (${PARTITION}).
    #[arg(long, default_value = addperm::contract::DEFAULT_PARTITION)]
    pub partition: String,
}

impl Place {
    /// `--region`, else the region of the environment (as the AWS SDKs read it), else the
    /// default.
    pub fn region(&self) -> String {
        self.region
            .clone()
            .or_else(|| from_env(&REGION_VARS))
            .unwrap_or_else(|| addperm::contract::DEFAULT_REGION.to_string())
    }
}

/// A fault by its id, for clap.
pub fn parse_fault(id: &str) -> Result<Fault, String> {
    Fault::from_id(id).ok_or_else(|| {
        let ids: Vec<&str> = Fault::every().map(|f| f.id()).collect();
        format!("unknown fault {id:?}; known: {}", ids.join(", "))
    })
}

/// How each case is played: its fixtures, and whether what the target stored is checked.
#[derive(Debug, Clone, clap::Args)]
pub struct PlayArgs {
    /// Fixtures: `reuse` lends functions, versions and aliases made once per worker to every
    /// case that cannot tell them from new ones (far fewer requests); `fresh` makes them for
    /// every case. The in-process reference and `--isolation none` always play fresh.
    #[arg(long, value_enum, default_value_t = FixturesArg::Reuse)]
    pub fixtures: FixturesArg,
    /// Do not compare the policy the request addressed with what AWS stores after each case
    /// (with reused fixtures it is still read, to know what the fixture holds).
    #[arg(long)]
    pub no_state_check: bool,
}

impl PlayArgs {
    /// The run options these arguments ask for, with the rest as given.
    pub fn options(&self, compare: Compare, jobs: usize) -> RunOptions {
        RunOptions {
            compare,
            jobs,
            fixtures: self.fixtures.into(),
            state_check: !self.no_state_check,
            keep_going: false,
            interrupt: super::interrupt::watch(),
        }
    }
}

/// Options that matter only for HTTP targets.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "HTTP targets")]
pub struct HttpArgs {
    /// Time-out of one request, connect to last byte: seconds (`10`, `0.5`) or `250ms`. A
    /// request still unanswered then is a target error (`fuzz`: a `timeout` finding).
    #[arg(long, default_value = "10", value_parser = parse_duration)]
    timeout: Duration,
    /// Largest response body accepted; a larger one is a target error.
    #[arg(long, default_value_t = 1 << 20)]
    max_response_bytes: usize,
    /// Sign requests with AWS SigV4 (for AWS itself). Without it a fixed fake signature is
    /// sent, which emulators accept and route by.
    #[arg(long)]
    sign: bool,
    /// Access key for --sign (prefer the environment variable: flags show in `ps`).
    #[arg(long, env = "AWS_ACCESS_KEY_ID", hide_env_values = true)]
    access_key_id: Option<String>,
    /// Secret key for --sign.
    #[arg(long, env = "AWS_SECRET_ACCESS_KEY", hide_env_values = true)]
    secret_access_key: Option<String>,
    /// Session token for --sign (temporary credentials).
    #[arg(long, env = "AWS_SESSION_TOKEN", hide_env_values = true)]
    session_token: Option<String>,
    /// How cases are kept apart on the shared target: `rename` gives each case's functions a
    /// unique suffix; `none` uses the names as written (needs --jobs 1).
    #[arg(long, value_enum, default_value_t = IsolationArg::Rename)]
    isolation: IsolationArg,
    /// Before the run, create the role CreateFunction names (--role) through the target's IAM
    /// API, as an emulator that checks roles (moto) needs; an existing role is fine (the
    /// in-process reference checks none). Refused with --sign: addperm never creates IAM roles
    /// in a real account.
    #[arg(long)]
    create_role: bool,
    /// The execution role (an IAM role ARN) every fixture function is created with: on a real
    /// account, one that exists there [default: arn:PARTITION:iam::ACCOUNT:role/addperm-fixture-role,
    /// with --partition and --account].
    #[arg(long, value_name = "ARN", value_parser = parse_role)]
    role: Option<String>,
}

/// A role ARN, as CreateFunction's model accepts one.
fn parse_role(arn: &str) -> Result<String, String> {
    let role = &provisioning().role;
    if provisioning().is_role_arn(arn) {
        return Ok(arn.to_string());
    }
    let pattern = role.pattern.as_ref().map_or("", |p| p.value.source());
    Err(format!(
        "{arn:?} is not an IAM role ARN: expected arn:PARTITION:iam::ACCOUNT:role/NAME (the pattern of CreateFunction's Role in the Lambda model: {pattern})"
    ))
}

/// The target `spec` names: `reference` (the in-process reference) or an `http://`/`https://`
/// base URL of an implementation. `jobs` is how many cases will run at once.
pub fn target_from_spec(
    spec: &str,
    opts: &TargetOptions,
    jobs: usize,
) -> anyhow::Result<Box<dyn Target>> {
    let config = Config {
        account: opts.place.account.clone(),
        region: opts.place.region(),
        partition: opts.place.partition.clone(),
        fault: opts.fault,
        ..Config::default()
    };
    if spec == "reference" {
        return Ok(Box::new(ReferenceTarget::new(config)));
    }
    if !(spec.starts_with("http://") || spec.starts_with("https://")) {
        bail!("unknown target {spec:?}: use `reference` or an http:// or https:// URL");
    }
    if opts.fault.is_some() {
        bail!("--fault changes the in-process reference; for an HTTP target start `addperm serve --fault NAME`");
    }
    let http = &opts.http;
    if http.isolation == IsolationArg::None && jobs > 1 {
        bail!("--isolation none shares function names between cases: use it with --jobs 1");
    }
    if http.create_role && http.sign {
        bail!("--create-role is refused with --sign: addperm never creates IAM roles in a real account; name a role that exists there with --role ARN");
    }
    let placeholders = Placeholders {
        account: config.account,
        region: config.region,
        partition: config.partition,
        current_revision: None,
    };
    let mut options = HttpOptions::new(placeholders);
    options.timeout = http.timeout;
    options.max_response_bytes = http.max_response_bytes;
    options.isolation = http.isolation.into();
    if let Some(role) = &http.role {
        options.role = role.clone();
    }
    if http.sign {
        let (Some(key), Some(secret)) = (&http.access_key_id, &http.secret_access_key) else {
            bail!("--sign needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or --access-key-id and --secret-access-key)");
        };
        options.signing = Signing::SigV4(Credentials {
            access_key_id: key.clone(),
            secret_access_key: secret.clone(),
            session_token: http.session_token.clone(),
        });
    }
    let target = HttpTarget::new(spec, options)?;
    if http.create_role {
        create_role(&target)?;
    }
    Ok(Box::new(target))
}

/// `--create-role` on `target`, told on standard error. A target that answers but creates no
/// role (no IAM API, as `addperm serve`, which checks no role) is not fatal: the run goes on,
/// and should its CreateFunction refuse the role, the report says so.
fn create_role(target: &HttpTarget) -> anyhow::Result<()> {
    let (name, role) = (target.name(), target.role());
    match target.create_role() {
        Ok(RoleCreated::Created) => eprintln!("addperm: created the IAM role {role} on {name}"),
        Ok(RoleCreated::Existed) => eprintln!("addperm: the IAM role {role} exists on {name}"),
        Err(e @ RoleError::Refused { .. }) => {
            eprintln!("addperm: --create-role on {name}: {e}; running without it")
        }
        Err(e) => bail!("--create-role on {name}: {e}"),
    }
    Ok(())
}

/// `10`, `0.5`, `10s`, `250ms` or `2m`; positive.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let (number, scale) = if let Some(ms) = s.strip_suffix("ms") {
        (ms, 1e-3)
    } else if let Some(m) = s.strip_suffix('m') {
        (m, 60.0)
    } else {
        (s.strip_suffix('s').unwrap_or(s), 1.0)
    };
    let value: f64 = number.trim().parse().map_err(|_| {
        format!(
            "{s:?} is not a duration: give seconds (10, 0.5, 10s), milliseconds (250ms) or minutes (2m)"
        )
    })?;
    Duration::try_from_secs_f64(value * scale)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{s:?} is not a positive duration"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts() {
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        for bad in ["", "0", "-1", "x", "1h", "NaN", "inf", "m", "0m"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
