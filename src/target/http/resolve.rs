//! Name resolution for the HTTP client that costs nothing on the hot path.
//!
//! ureq's default resolver runs every lookup on a thread of its own whenever a time-out is set,
//! even for an IP address, and even when a pooled connection makes the result unused. Against
//! a local emulator that thread cost more than the rest of the exchange (`cargo bench --bench
//! http_check`, one job: 0.63 ms per request with it, 0.27 ms without). This resolver answers
//! IP addresses at once and remembers a host name's addresses for a short while, so DNS
//! changes (AWS endpoints rotate) are still seen. It uses ureq's `unversioned` resolver API,
//! which may change in a minor ureq release: Cargo.lock pins the version.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a looked-up address is reused.
const TTL: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub(super) struct CachingResolver {
    lookup: DefaultResolver,
    /// `host:port`, its addresses, and when they were looked up. One entry: a target is one
    /// host.
    cache: Mutex<Option<(String, Vec<SocketAddr>, Instant)>>,
}

impl CachingResolver {
    fn addrs(&self, found: &[SocketAddr]) -> ResolvedSocketAddrs {
        let mut out = self.empty();
        // The ArrayVec holds at most 16; ureq's own resolver keeps at most as many.
        for addr in found.iter().take(16) {
            out.push(*addr);
        }
        out
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let key = uri
            .scheme()
            .zip(uri.authority())
            .and_then(|(scheme, authority)| DefaultResolver::host_and_port(scheme, authority));
        let Some(key) = key else {
            return self.lookup.resolve(uri, config, timeout);
        };
        if let Ok(addr) = key.parse::<SocketAddr>() {
            return Ok(self.addrs(&[addr]));
        }
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((host, found, at)) = cache.as_ref() {
            if *host == key && at.elapsed() < TTL {
                return Ok(self.addrs(found));
            }
        }
        let found = self.lookup.resolve(uri, config, timeout)?;
        *cache = Some((key, found.to_vec(), Instant::now()));
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(r: &CachingResolver, url: &str) -> Vec<SocketAddr> {
        let config = ureq::Agent::config_builder().build();
        let timeout = NextTimeout {
            after: ureq::unversioned::transport::time::Duration::NotHappening,
            reason: ureq::Timeout::Resolve,
        };
        r.resolve(&url.parse().unwrap(), &config, timeout)
            .unwrap()
            .to_vec()
    }

    #[test]
    fn addresses_directly_names_once() {
        let r = CachingResolver::default();
        assert_eq!(
            resolve(&r, "http://127.0.0.1:9001/x"),
            ["127.0.0.1:9001".parse().unwrap()]
        );
        assert_eq!(
            resolve(&r, "https://[::1]/"),
            ["[::1]:443".parse().unwrap()]
        );
        assert!(r.cache.lock().unwrap().is_none());
        let first = resolve(&r, "http://localhost:9001/");
        assert!(!first.is_empty());
        assert_eq!(resolve(&r, "http://localhost:9001/"), first);
        assert_eq!(
            r.cache.lock().unwrap().as_ref().unwrap().0,
            "localhost:9001"
        );
    }
}
