//! A WebSocket's session is checked on every operation, not once at `connection_init`:
//! after a logout, a password change or a deactivation the socket's next operation is
//! refused, and an open subscription ends at its next event, when this replica revokes
//! a session, or within [`RECHECK`] otherwise (idle and absolute expiry included).

use std::sync::Arc;
use std::time::Duration;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextSubscribe,
};
use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::{Request, Response, ServerResult};

use crate::auth::session;
use crate::error::{ApiError, finish_errors};
use crate::state::AppState;

/// How often an open subscription checks its session when nothing else wakes it.
pub const RECHECK: Duration = Duration::from_secs(15);

/// Put into a socket's connection data: the token it signed in with.
#[derive(Clone)]
pub struct SocketSession {
    pub token: String,
}

pub struct SocketSessions;

impl ExtensionFactory for SocketSessions {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SocketSessions)
    }
}

#[async_trait::async_trait]
impl Extension for SocketSessions {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let (Some(socket), Some(state)) =
            (ctx.data_opt::<SocketSession>(), ctx.data_opt::<AppState>())
        {
            // An operation is the user at work: this check postpones the idle timeout.
            session::resolve(&state.db, &socket.token, None, &state.config.auth)
                .await
                .map_err(ApiError::into_server_error)?;
        }
        next.run(ctx, request).await
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let stream = next.run(ctx, stream);
        match (ctx.data_opt::<SocketSession>(), ctx.data_opt::<AppState>()) {
            (Some(socket), Some(state)) => guarded(stream, socket.clone(), state.clone()),
            _ => stream,
        }
    }
}

enum Wake {
    Item(Box<Response>),
    Check,
    Done,
}

/// `stream`, ended with an `UNAUTHENTICATED` error as soon as the session is found dead.
fn guarded<'s>(
    stream: BoxStream<'s, Response>,
    socket: SocketSession,
    state: AppState,
) -> BoxStream<'s, Response> {
    let items = stream
        .map(|response| Wake::Item(Box::new(response)))
        .chain(stream::once(async { Wake::Done }));
    let ticks = stream::unfold(tokio::time::interval(RECHECK), |mut interval| async move {
        interval.tick().await;
        Some((Wake::Check, interval))
    });
    let revocations = stream::unfold(state.revocations.subscribe(), |mut r| async move {
        // Lagging behind only means "something was revoked": check either way.
        match r.recv().await {
            Err(tokio::sync::broadcast::error::RecvError::Closed) => None,
            _ => Some((Wake::Check, r)),
        }
    });
    let wakes = stream::select(items, stream::select(ticks, revocations)).boxed();
    stream::unfold(Some(wakes), move |wakes| {
        let (socket, state) = (socket.clone(), state.clone());
        async move {
            let mut wakes = wakes?;
            loop {
                let item = match wakes.next().await? {
                    Wake::Done => return None,
                    Wake::Check => None,
                    Wake::Item(response) => Some(*response),
                };
                let config = &state.config.auth;
                if let Err(e) = session::check_live(&state.db, &socket.token, config).await {
                    let mut errors = vec![e.into_server_error()];
                    finish_errors(&mut errors);
                    return Some((Response::from_errors(errors), None));
                }
                if let Some(response) = item {
                    return Some((response, Some(wakes)));
                }
            }
        }
    })
    .boxed()
}
