//! The end-to-end demo: broadcasts every example payload of the catalog, in
//! catalog order, to the first client that connects, then closes the
//! connection normally and exits 0.
//!
//! ```text
//! cargo build -p board-server --example demo
//! target/debug/examples/demo [--port 0] [--catalog schema/catalog.yaml] [--timeout-secs 20]
//! ```
//!
//! It binds 127.0.0.1 only and prints `listening on 127.0.0.1:<port>` on
//! stdout once it accepts connections. Each example is read from the catalog
//! (with eventcat-codegen, a dev-dependency: the app never links it), parsed
//! into the generated `BoardEvent` and broadcast through the app's hub, so the
//! JSON on the wire is the generated crate's. It gives up, exiting 1, when
//! the whole run takes longer than the timeout.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use board_events::{BoardEnvelope, BoardEvent, PROTOCOL_VERSION};
use board_server::{Hub, server};
use eventcat_codegen::source::Sources;
use serde_json::{Value, json};

const USAGE: &str = "usage: demo [--port PORT] [--catalog PATH] [--timeout-secs SECONDS]";

struct Options {
    port: u16,
    catalog: PathBuf,
    timeout: Duration,
}

fn parse_args() -> Result<Options, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut options = Options {
        port: 0,
        catalog: root.join("schema/catalog.yaml"),
        timeout: Duration::from_secs(20),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        if !["--port", "--catalog", "--timeout-secs"].contains(&flag.as_str()) {
            return Err(format!("unknown option {flag}\n{USAGE}"));
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |_| format!("{flag}: not a number: {value}\n{USAGE}");
        match flag.as_str() {
            "--port" => options.port = value.parse().map_err(bad)?,
            "--catalog" => options.catalog = PathBuf::from(value),
            "--timeout-secs" => options.timeout = Duration::from_secs(value.parse().map_err(bad)?),
            _ => unreachable!("checked above"),
        }
    }
    Ok(options)
}

/// Every example of the catalog as a typed event, in catalog order.
fn catalog_events(catalog_path: &Path) -> Result<Vec<BoardEvent>, String> {
    // Diagnostics show paths relative to where the demo was started.
    let mut sources = Sources::new(&std::env::current_dir().unwrap_or_default());
    let catalog = eventcat_codegen::build(&mut sources, catalog_path).map_err(|diagnostics| {
        let rendered: Vec<String> = diagnostics
            .iter()
            .map(|diagnostic| diagnostic.render(&sources, false))
            .collect();
        rendered.join("\n\n")
    })?;
    let mut events = Vec::new();
    for event in &catalog.events {
        for (index, example) in event.examples.iter().enumerate() {
            let wire = json!({
                "protocol_version": PROTOCOL_VERSION,
                "event_type": event.name,
                "payload": example,
            });
            let envelope: BoardEnvelope = serde_json::from_value(wire.clone())
                .map_err(|error| format!("{} example {index}: {error}", event.name))?;
            // What the hub will send must be the example itself.
            let sent: Value = envelope
                .to_json()
                .and_then(|text| serde_json::from_str(&text))
                .map_err(|error| format!("{} example {index}: {error}", event.name))?;
            if sent != wire {
                return Err(format!(
                    "{} example {index} changes on the way out:\n  catalog: {wire}\n  sent:    {sent}",
                    event.name
                ));
            }
            events.push(envelope.event);
        }
    }
    Ok(events)
}

async fn run(port: u16, events: Vec<BoardEvent>) -> Result<usize, String> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let (listener, local) = server::bind(addr)
        .await
        .map_err(|error| format!("cannot listen on {addr}: {error}"))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on {local}")
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot write to stdout: {error}"))?;
    drop(stdout);

    let hub = Hub::default();
    tokio::spawn(server::serve(listener, hub.clone()));
    let mut clients = hub.clients();
    clients
        .wait_for(|count| *count > 0)
        .await
        .map_err(|error| error.to_string())?;
    let count = events.len();
    for event in events {
        hub.broadcast(event);
    }
    // Every connection sends what it has, then a normal close frame.
    hub.close();
    clients
        .wait_for(|count| *count == 0)
        .await
        .map_err(|error| error.to_string())?;
    Ok(count)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let events = match catalog_events(&options.catalog) {
        Ok(events) => events,
        Err(message) => {
            eprintln!("demo: {}: {message}", options.catalog.display());
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("demo: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime
        .block_on(async { tokio::time::timeout(options.timeout, run(options.port, events)).await });
    match outcome {
        Ok(Ok(count)) => {
            eprintln!("demo: sent {count} catalog examples");
            ExitCode::SUCCESS
        }
        Ok(Err(message)) => {
            eprintln!("demo: {message}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!(
                "demo: gave up after {} s (no client, or the client did not close)",
                options.timeout.as_secs()
            );
            ExitCode::FAILURE
        }
    }
}
