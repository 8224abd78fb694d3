//! `addperm serve`: the reference as a Lambda HTTP emulator until SIGINT or SIGTERM.

use addperm::reference::{Config, Revisions};
use anyhow::Context;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port. The URL actually bound is printed on
    /// standard output once the server accepts connections.
    #[arg(long, default_value = "127.0.0.1:9001")]
    listen: SocketAddr,
    /// The account id the emulated functions live in.
    #[arg(long, default_value = addperm::contract::DEFAULT_ACCOUNT)]
    account: String,
    /// The region the emulated functions live in.
    #[arg(long, default_value = addperm::contract::DEFAULT_REGION)]
    region: String,
    /// The partition the emulated functions live in.
    #[arg(long, default_value = addperm::contract::DEFAULT_PARTITION)]
    partition: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config {
        account: args.account,
        region: args.region,
        partition: args.partition,
        // As AWS: clients must read RevisionIds, not predict them.
        revisions: Revisions::Random,
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr()?;
        // The one line on stdout: scripts wait for it, then use it as --target.
        let mut out = std::io::stdout();
        writeln!(out, "http://{addr}")?;
        out.flush()?;
        eprintln!("addperm serve: listening on http://{addr} (account {}, region {}); SIGINT or SIGTERM stops", config.account, config.region);
        addperm::serve::run(listener, config, shutdown_signal()).await?;
        eprintln!("addperm serve: stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Completes on the first SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut terminate = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("addperm serve: cannot watch SIGTERM ({e}); only SIGINT stops the server");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate.recv() => {}
    }
}
