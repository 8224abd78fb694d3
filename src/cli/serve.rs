//! `addperm serve`: the reference as a Lambda HTTP emulator until SIGINT or SIGTERM.

use super::exit;
use addperm::case::fixture;
use addperm::reference::{Config, Fault, Reference, Revisions};
use anyhow::Context;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use tokio::signal::unix::{signal, SignalKind};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port. The URL actually bound is printed on
    /// standard output once the server accepts connections.
    #[arg(long, default_value = "127.0.0.1:9001")]
    listen: SocketAddr,
    /// Where the emulated functions live.
    #[command(flatten)]
    place: super::target::Place,
    /// Serve a deliberately faulty reference (`addperm faults` lists the bugs): for measuring
    /// a test suite, never for use as an emulator.
    #[arg(long, value_name = "NAME", value_parser = super::target::parse_fault)]
    fault: Option<Fault>,
    /// Create function NAME before serving, with version 1 and alias `live` -> 1 (repeatable).
    /// For tools that cannot provision functions themselves (Schemathesis with the `addperm
    /// openapi` file): without a function every AddPermission answers 404.
    #[arg(long, value_name = "NAME")]
    seed_function: Vec<String>,
}

/// The reference `serve` starts with: `config`, and each of `names` created with version 1
/// and alias `live` -> 1.
fn seeded(config: Config, names: &[String]) -> anyhow::Result<Reference> {
    let mut reference = Reference::new(config);
    for name in names {
        let made = reference
            .create_function(name)
            .and_then(|_| reference.publish_version(name))
            .and_then(|_| reference.create_alias(name, fixture::ALIAS, fixture::VERSION));
        if let Err(e) = made {
            anyhow::bail!("cannot create the function {name:?}: {}", e.message);
        }
    }
    Ok(reference)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config {
        region: args.place.region(),
        account: args.place.account,
        partition: args.place.partition,
        // As AWS: clients must read RevisionIds, not predict them.
        revisions: Revisions::Random,
        fault: args.fault,
        ..Config::default()
    };
    let reference = seeded(config.clone(), &args.seed_function)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr()?;
        // Watch the signals before announcing the URL: a script may signal as soon as it reads
        // it, and an unwatched signal would kill the process instead of stopping it.
        let mut interrupt = signal(SignalKind::interrupt()).context("cannot watch SIGINT")?;
        let mut terminate = signal(SignalKind::terminate()).context("cannot watch SIGTERM")?;
        // The one line on stdout: scripts wait for it, then use it as --target.
        let mut out = std::io::stdout();
        writeln!(out, "http://{addr}")?;
        out.flush()?;
        eprintln!(
            "addperm serve: listening on http://{addr} (account {}, region {}{}); SIGINT or SIGTERM stops",
            config.account,
            config.region,
            config.fault.map_or(String::new(), |f| format!(", FAULT {}", f.id()))
        );
        let stopped = async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        };
        let requests = addperm::serve::serve_reference(listener, reference, stopped).await?;
        eprintln!("addperm serve: stopped after {requests} requests");
        Ok(exit::passed())
    })
}
