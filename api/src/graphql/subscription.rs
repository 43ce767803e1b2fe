//! Live figures: `rollupChanged` yields an org's figure each time it, or anything below
//! it, is rescored.

use async_graphql::futures_util::Stream;
use async_graphql::{Context, ID, Result, Subscription as GqlSubscription};
use tokio::sync::broadcast::error::RecvError;

use super::context::ContextExt;
use super::scores::{Rollup, figure};
use crate::graphql::scalars::parse_id;

#[derive(Default)]
pub struct Subscription;

#[GqlSubscription]
impl Subscription {
    async fn rollup_changed(
        &self,
        ctx: &Context<'_>,
        round_id: ID,
        org_id: ID,
    ) -> Result<impl Stream<Item = Rollup>> {
        let guard = ctx.guard()?;
        let state = ctx.state().clone();
        let round = guard
            .round(&state.db, parse_id(&round_id, "考核轮次")?)
            .await?;
        let org = guard.org(&state.db, parse_id(&org_id, "机构")?).await?;
        let receiver = state.events.subscribe();
        Ok(async_graphql::futures_util::stream::unfold(
            (receiver, state, round, org),
            |(mut receiver, state, round, org)| async move {
                loop {
                    match receiver.recv().await {
                        Ok(event)
                            if event.round_id == round.id && event.org_ids.contains(&org.id) =>
                        {
                            match figure(&state.db, &round, org.clone()).await {
                                Ok(rollup) => return Some((rollup, (receiver, state, round, org))),
                                Err(e) => {
                                    tracing::warn!(error = %e, "live figure could not be read")
                                }
                            }
                        }
                        Ok(_) | Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }
}
