//! The broadcast hub: every connected client gets every event, in order.
//!
//! An event is serialized once, through the generated envelope
//! (`BoardEnvelope::new(event).to_json()`), and the same text is handed to
//! every connection. Delivery is best-effort, as the catalog says: a client
//! that falls more than the channel's capacity behind is disconnected and
//! refetches on reconnect.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use board_events::{BoardEnvelope, BoardEvent};
use tokio::sync::{broadcast, watch};
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// How many events a slow client may fall behind before it is dropped.
pub const DEFAULT_CAPACITY: usize = 1024;

/// The hub every part of the app broadcasts through. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

struct Inner {
    sender: broadcast::Sender<Frame>,
    clients: watch::Sender<usize>,
    closed: AtomicBool,
}

/// What travels from the hub to the connections.
#[derive(Debug, Clone)]
enum Frame {
    /// One envelope, already serialized.
    Event(Utf8Bytes),
    /// The hub closed: connections say goodbye after the events before it.
    Close,
}

/// What a subscription receives next.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// An envelope's JSON text.
    Event(Utf8Bytes),
    /// The subscriber fell behind and missed this many events.
    Lagged(u64),
    /// The hub was closed; nothing follows.
    Closed,
}

impl Hub {
    /// A hub whose subscribers may fall `capacity` events behind.
    pub fn new(capacity: usize) -> Self {
        let (sender, _) = broadcast::channel(capacity);
        Self {
            inner: Arc::new(Inner {
                sender,
                clients: watch::Sender::new(0),
                closed: AtomicBool::new(false),
            }),
        }
    }

    /// Sends an event to every subscriber, serialized by the generated
    /// envelope. Best-effort: with nobody subscribed the event is dropped.
    pub fn broadcast(&self, event: BoardEvent) {
        if self.is_closed() {
            return;
        }
        match BoardEnvelope::new(event).to_json() {
            // No subscriber is not an error: nobody is watching the board.
            Ok(text) => drop(self.inner.sender.send(Frame::Event(text.into()))),
            // Only a payload that JSON cannot represent gets here.
            Err(error) => eprintln!("board-server: event not sent: {error}"),
        }
    }

    /// Receives every event broadcast from now on.
    pub fn subscribe(&self) -> Subscription {
        let receiver = self.inner.sender.subscribe();
        // Checked after subscribing: a close that comes later still reaches
        // `receiver` as a `Frame::Close`.
        let done = self.is_closed();
        Subscription { receiver, done }
    }

    /// Counts a connected client until the returned guard is dropped.
    pub fn track_client(&self) -> ClientGuard {
        self.inner.clients.send_modify(|count| *count += 1);
        ClientGuard { hub: self.clone() }
    }

    /// The number of connected clients, to wait on.
    pub fn clients(&self) -> watch::Receiver<usize> {
        self.inner.clients.subscribe()
    }

    /// Stops the hub: subscribers receive the events broadcast so far, then
    /// [`Received::Closed`]. Later broadcasts are dropped.
    pub fn close(&self) {
        if !self.inner.closed.swap(true, Ordering::SeqCst) {
            drop(self.inner.sender.send(Frame::Close));
        }
    }

    /// Whether [`Hub::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }
}

impl Default for Hub {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

/// One subscriber's view of the hub.
pub struct Subscription {
    receiver: broadcast::Receiver<Frame>,
    done: bool,
}

impl Subscription {
    /// Waits for the next event.
    pub async fn recv(&mut self) -> Received {
        if self.done {
            return Received::Closed;
        }
        let received = self.receiver.recv().await;
        self.convert(received)
    }

    /// The next event if one is waiting, without waiting.
    pub fn try_recv(&mut self) -> Option<Received> {
        if self.done {
            return Some(Received::Closed);
        }
        match self.receiver.try_recv() {
            Ok(frame) => Some(self.convert(Ok(frame))),
            Err(broadcast::error::TryRecvError::Empty) => None,
            Err(broadcast::error::TryRecvError::Lagged(missed)) => Some(Received::Lagged(missed)),
            Err(broadcast::error::TryRecvError::Closed) => {
                Some(self.convert(Err(broadcast::error::RecvError::Closed)))
            }
        }
    }

    fn convert(&mut self, received: Result<Frame, broadcast::error::RecvError>) -> Received {
        match received {
            Ok(Frame::Event(text)) => Received::Event(text),
            Err(broadcast::error::RecvError::Lagged(missed)) => Received::Lagged(missed),
            Ok(Frame::Close) | Err(broadcast::error::RecvError::Closed) => {
                self.done = true;
                Received::Closed
            }
        }
    }
}

/// Keeps a client counted in [`Hub::clients`] while it lives.
pub struct ClientGuard {
    hub: Hub,
}

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.hub
            .inner
            .clients
            .send_modify(|count| *count = count.saturating_sub(1));
    }
}
