//! Choosing the implementation a command runs against: the in-process reference or a URL.
//! Kept apart from the commands so each of them takes the same options.

use addperm::case::Placeholders;
use addperm::reference::Config;
use addperm::target::{HttpOptions, HttpTarget, Isolation, ReferenceTarget, Signing, Target};
use anyhow::bail;
use std::time::Duration;

/// Options that matter only for HTTP targets.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "HTTP targets")]
pub struct HttpArgs {
    /// Time-out of one request, connect to last byte: seconds (`10`, `0.5`) or `250ms`.
    #[arg(long, default_value = "10", value_parser = parse_timeout)]
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
    #[arg(long, value_enum, default_value_t = Isolation::Rename)]
    isolation: Isolation,
}

/// The target `spec` names: `reference`, or an `http://`/`https://` URL.
pub fn build(
    spec: &str,
    config: Config,
    http: &HttpArgs,
    jobs: usize,
) -> anyhow::Result<Box<dyn Target>> {
    if spec == "reference" {
        return Ok(Box::new(ReferenceTarget::new(config)));
    }
    if !(spec.starts_with("http://") || spec.starts_with("https://")) {
        bail!("unknown target {spec:?}: use `reference` or an http:// or https:// URL");
    }
    if http.isolation == Isolation::None && jobs > 1 {
        bail!("--isolation none shares function names between cases: use it with --jobs 1");
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
    options.isolation = http.isolation;
    if http.sign {
        let (Some(key), Some(secret)) = (&http.access_key_id, &http.secret_access_key) else {
            bail!("--sign needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or --access-key-id and --secret-access-key)");
        };
        options.signing = Signing::SigV4(aws_credential_types::Credentials::new(
            key,
            secret,
            http.session_token.clone(),
            None,
            "addperm",
        ));
    }
    Ok(Box::new(HttpTarget::new(spec, options)?))
}

/// `10`, `0.5`, `10s` or `250ms`; positive.
fn parse_timeout(s: &str) -> Result<Duration, String> {
    let (number, scale) = match s.strip_suffix("ms") {
        Some(ms) => (ms, 1e-3),
        None => (s.strip_suffix('s').unwrap_or(s), 1.0),
    };
    let value: f64 = number.trim().parse().map_err(|_| {
        format!("{s:?} is not a duration: give seconds (10, 0.5) or milliseconds (250ms)")
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
        assert_eq!(parse_timeout("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_timeout("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_timeout("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_timeout("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["", "0", "-1", "x", "1h", "NaN", "inf"] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
