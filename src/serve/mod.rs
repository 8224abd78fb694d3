//! `addperm serve`: the reference as a Lambda HTTP emulator.
//!
//! One [`Reference`] holds the state of every client, behind a mutex: each request routes and
//! executes under the lock, so concurrent clients see the operations in some serial order (many
//! racing on one StatementId get exactly one 201). The lock is held only for the in-memory
//! work, never across I/O (except where a concurrency fault opens a race window: [`window`]). HTTP/1.1 with keep-alive; signatures are not checked, so SigV4-signed
//! and unsigned requests are answered alike.

mod service;
mod window;

use crate::reference::{Config, Reference};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How long in-flight requests may take to finish once shutdown starts.
const GRACE: Duration = Duration::from_secs(5);

/// How long a client may take to send a request's headers. Longer than the idle time after
/// which HTTP clients drop pooled connections (ureq: 15 s), so a kept-alive connection is not
/// closed under a client that is about to reuse it.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Serves the reference on `listener` until `shutdown` completes, then lets in-flight requests
/// finish (up to a few seconds) and returns.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    serve_reference(listener, Reference::new(config), shutdown)
        .await
        .map(|_| ())
}

/// As [`run`], serving `reference` as it is (with the functions it already holds), and
/// returning how many HTTP requests were answered.
pub async fn serve_reference(
    listener: TcpListener,
    reference: Reference,
    shutdown: impl Future<Output = ()>,
) -> io::Result<u64> {
    let state = Arc::new(window::Shared::new(reference));
    let requests = Arc::new(AtomicU64::new(0));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait, the condition may pass.
                    eprintln!("addperm serve: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small request/response pairs: without NODELAY, Nagle delays every answer.
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        let requests = Arc::clone(&requests);
        let service = service_fn(move |request| {
            requests.fetch_add(1, Ordering::Relaxed);
            service::respond(Arc::clone(&state), request)
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that vanishes mid-request is its own problem, not the server's.
            let _ = connection.await;
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
    Ok(requests.load(Ordering::Relaxed))
}

/// A server running in a background thread: for tests, benchmarks and embedding. It stops
/// when [`Server::stop`] is called or it is dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl Server {
    /// Binds `listen` (port 0 picks a free port) and starts serving. Binding happens before
    /// this returns, so the address is ready for clients at once.
    pub fn start(listen: SocketAddr, config: Config) -> io::Result<Server> {
        let listener = std::net::TcpListener::bind(listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(format!("addperm-serve-{addr}"))
            .spawn(move || {
                runtime.block_on(async {
                    let listener = TcpListener::from_std(listener)?;
                    run(listener, config, async {
                        let _ = stopped.await;
                    })
                    .await
                })
            })?;
        Ok(Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the form `addperm check --target` takes.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, waits for in-flight requests, and reports how serving ended.
    pub fn stop(mut self) -> io::Result<()> {
        self.shut_down()
    }

    fn shut_down(&mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the server thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.shut_down();
    }
}
