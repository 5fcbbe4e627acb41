//! `board-server`: the example board backend. Serves `ws://127.0.0.1:<port>/ws`
//! and runs scripted board activity while a client is connected.
//!
//! ```text
//! board-server [--port 3000] [--interval-ms 500] [--rounds N]
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use board_server::{Board, Hub, server, simulation};

const USAGE: &str = "usage: board-server [--port PORT] [--interval-ms MS] [--rounds N]";

struct Options {
    port: u16,
    interval: Duration,
    rounds: Option<u64>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        port: 3000,
        interval: Duration::from_millis(500),
        rounds: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        if !["--port", "--interval-ms", "--rounds"].contains(&flag.as_str()) {
            return Err(format!("unknown option {flag}\n{USAGE}"));
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |_| format!("{flag}: not a number: {value}\n{USAGE}");
        match flag.as_str() {
            "--port" => options.port = value.parse().map_err(bad)?,
            "--interval-ms" => {
                options.interval = Duration::from_millis(value.parse().map_err(bad)?)
            }
            "--rounds" => options.rounds = Some(value.parse().map_err(bad)?),
            _ => unreachable!("checked above"),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("board-server: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
        let (listener, local) = match server::bind(addr).await {
            Ok(bound) => bound,
            Err(error) => {
                eprintln!("board-server: cannot listen on {addr}: {error}");
                return ExitCode::FAILURE;
            }
        };
        println!("listening on {local}");
        eprintln!("connect to ws://{local}{}", server::PATH);
        let hub = Hub::default();
        tokio::spawn(server::serve(listener, hub.clone()));
        let board = Board::new(hub.clone(), 7, &[37, 38, 39]);
        let outcome = simulation::run(&board, options.rounds, options.interval).await;
        hub.close();
        // Let connected clients receive the close frame.
        let mut clients = hub.clients();
        drop(
            tokio::time::timeout(
                Duration::from_secs(3),
                clients.wait_for(|count| *count == 0),
            )
            .await,
        );
        match outcome {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("board-server: {error}");
                ExitCode::FAILURE
            }
        }
    })
}
