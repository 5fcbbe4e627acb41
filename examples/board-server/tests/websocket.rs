//! The server over real loopback sockets: `/ws` upgrades and streams the
//! hub's envelopes, other paths are refused, and closing the hub closes every
//! connection with a normal close frame.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use board_server::{Board, Hub, server};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

const LIMIT: Duration = Duration::from_secs(10);

fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            timeout(LIMIT, future)
                .await
                .expect("the test took too long")
        })
}

async fn start(hub: &Hub) -> SocketAddr {
    let (listener, addr) = server::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .unwrap();
    tokio::spawn(server::serve(listener, hub.clone()));
    addr
}

#[test]
fn clients_receive_envelopes_then_a_normal_close() {
    block_on(async {
        let hub = Hub::default();
        let addr = start(&hub).await;
        let stream = TcpStream::connect(addr).await.unwrap();
        let (mut socket, _) = tokio_tungstenite::client_async(format!("ws://{addr}/ws"), stream)
            .await
            .unwrap();
        let mut clients = hub.clients();
        clients.wait_for(|count| *count == 1).await.unwrap();

        let board = Board::new(hub.clone(), 7, &[37]);
        let task_id = board.create_task("Over the wire", Some(37)).unwrap();
        hub.close();

        let Some(Ok(Message::Text(text))) = socket.next().await else {
            panic!("expected a text message");
        };
        let received: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            received,
            json!({ "protocol_version": 1, "event_type": "task_created", "payload": { "task_id": task_id, "phase_id": 37 } })
        );
        let Some(Ok(Message::Close(Some(frame)))) = socket.next().await else {
            panic!("expected a close frame");
        };
        assert_eq!(frame.code, CloseCode::Normal);
        // The client's reply completes the closing handshake; the server lets go.
        while socket.next().await.is_some() {}
        clients.wait_for(|count| *count == 0).await.unwrap();
    });
}

#[test]
fn other_paths_are_not_found() {
    block_on(async {
        let hub = Hub::default();
        let addr = start(&hub).await;
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let request = format!(
            "GET /events HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 404"), "{response}");
        assert_eq!(*hub.clients().borrow(), 0);
    });
}
