//! A graphql-transport-ws client over a real WebSocket, for the stories that watch or
//! use `/graphql/ws`.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::TestApp;

pub struct Socket {
    stream: WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>,
}

impl Socket {
    /// The handshake with extra `headers` (a cookie, an `Origin`); the server's refusal
    /// as an error.
    pub async fn open(
        app: &TestApp,
        headers: &[(&'static str, &str)],
    ) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
        let mut request = format!("ws://{}/graphql/ws", app.addr)
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        for (name, value) in headers {
            request.headers_mut().insert(*name, value.parse().unwrap());
        }
        let (stream, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Socket { stream })
    }

    /// Opens and sends `connection_init` with `payload`; returns after the ack.
    pub async fn signed_in(app: &TestApp, payload: Value) -> Socket {
        let mut socket = Socket::open(app, &[]).await.expect("websocket");
        socket.init(payload).await;
        socket
    }

    pub async fn init(&mut self, payload: Value) {
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let ack = self.receive().await.expect("an answer to connection_init");
        assert_eq!(ack["type"], "connection_ack", "{ack}");
    }

    pub async fn send(&mut self, message: Value) {
        self.stream
            .send(Message::text(message.to_string()))
            .await
            .expect("sent");
    }

    /// Starts operation `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({
            "id": id,
            "type": "subscribe",
            "payload": { "query": query, "variables": variables },
        }))
        .await;
    }

    /// The next protocol message (pings answered on the way), or `None` once closed;
    /// waits at most 20 s.
    pub async fn receive(&mut self) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let message = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .expect("a message within 20 s")?
                .ok()?;
            match message {
                Message::Text(text) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON message");
                    if value["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Some(value);
                }
                Message::Close(_) => return None,
                _ => continue,
            }
        }
    }

    /// Runs a query or mutation over the socket and returns its first result message
    /// (`next` or `error`).
    pub async fn run(&mut self, id: &str, query: &str, variables: Value) -> Value {
        self.subscribe(id, query, variables).await;
        loop {
            let message = self.receive().await.expect("an answer");
            if message["id"] == id && message["type"] != "complete" {
                return message;
            }
        }
    }
}

/// The error code of a socket's `next` or `error` message.
pub fn socket_error_code(message: &Value) -> Option<&str> {
    let payload = &message["payload"];
    payload["errors"][0]["extensions"]["code"]
        .as_str()
        .or_else(|| payload[0]["extensions"]["code"].as_str())
}
