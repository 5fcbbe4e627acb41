//! The WebSocket endpoint: `GET /ws` upgrades, anything else is a 404.
//!
//! Each connection forwards the hub's events as text messages until the hub
//! closes (a normal close frame), the client goes away, or the client falls
//! too far behind (close code 1013, "try again later": reconnect and refetch).
//! Messages from the client are read only to answer pings and closes.

use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;

use futures_util::future::{Either, select};
use futures_util::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use crate::broadcast::{Hub, Received};

/// The path clients connect to.
pub const PATH: &str = "/ws";

/// How long a connection waits for the client's reply to its close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// Accepts connections until the listener fails, one task per connection.
pub async fn serve(listener: TcpListener, hub: Hub) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                tokio::spawn(connection(stream, peer, hub.clone()));
            }
            // Out of file descriptors and the like: wait, then go on.
            Err(error) => {
                eprintln!("board-server: accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Binds `addr`, returning the listener and the address it got (for port 0).
pub async fn bind(addr: SocketAddr) -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}

/// Refuses every path but [`PATH`].
#[allow(clippy::result_large_err)] // the signature tungstenite's callback requires
fn check_path(request: &Request, response: Response) -> Result<Response, ErrorResponse> {
    if request.uri().path() == PATH {
        return Ok(response);
    }
    let mut refusal = ErrorResponse::new(Some(format!("not found; connect to {PATH}\n")));
    *refusal.status_mut() = StatusCode::NOT_FOUND;
    Err(refusal)
}

async fn connection(stream: TcpStream, peer: SocketAddr, hub: Hub) {
    let socket = match tokio_tungstenite::accept_hdr_async(stream, check_path).await {
        Ok(socket) => socket,
        Err(error) => {
            eprintln!("board-server: {peer}: handshake failed: {error}");
            return;
        }
    };
    let mut subscription = hub.subscribe();
    // Counted from the moment it receives events until it is gone.
    let _client = hub.track_client();
    let (mut sink, mut incoming) = socket.split();

    let writer = async move {
        let close = loop {
            match subscription.recv().await {
                Received::Event(text) => {
                    if sink.send(Message::Text(text)).await.is_err() {
                        return;
                    }
                }
                Received::Closed => break (CloseCode::Normal, Utf8Bytes::from("server closing")),
                Received::Lagged(missed) => {
                    break (
                        CloseCode::Again,
                        Utf8Bytes::from(format!("missed {missed} events; reconnect and refetch")),
                    );
                }
            }
        };
        let frame = CloseFrame {
            code: close.0,
            reason: close.1,
        };
        drop(sink.send(Message::Close(Some(frame))).await);
    };
    // Reading answers pings and the client's close; it ends when the
    // connection does.
    let reader = async move { while let Some(Ok(_)) = incoming.next().await {} };

    match select(pin!(writer), pin!(reader)).await {
        // We sent a close frame: give the client a moment to answer it.
        Either::Left(((), reader)) => drop(tokio::time::timeout(CLOSE_GRACE, reader).await),
        // The client left first.
        Either::Right(((), _writer)) => {}
    }
}
