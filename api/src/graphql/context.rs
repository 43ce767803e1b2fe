//! Per-request data and the accessors resolvers use to reach it.

use std::net::IpAddr;

use async_graphql::Context;

use sea_orm::DatabaseConnection;

use super::batch::Loaders;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::tenancy::Guard;

/// Who is calling and from where; put into every request by the HTTP layer.
pub struct RequestContext {
    pub viewer: Option<Viewer>,
    pub ip: Option<IpAddr>,
    /// A token came but led to no session (ended, revoked, unknown).
    pub session_ended: bool,
    /// The request's batch loaders, guarded by `viewer`.
    pub loaders: Loaders,
}

impl RequestContext {
    pub fn new(
        db: &DatabaseConnection,
        viewer: Option<Viewer>,
        ip: Option<IpAddr>,
        session_ended: bool,
    ) -> Self {
        Self {
            loaders: super::batch::loaders(db.clone(), viewer.clone()),
            viewer,
            ip,
            session_ended,
        }
    }
}

pub trait ContextExt {
    fn state(&self) -> &AppState;
    fn request(&self) -> &RequestContext;
    fn viewer(&self) -> ApiResult<&Viewer>;
    /// The tenancy guard for the signed-in viewer.
    fn guard(&self) -> ApiResult<Guard<'_>>;
    fn loaders(&self) -> &Loaders;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn request(&self) -> &RequestContext {
        self.data_unchecked::<RequestContext>()
    }

    fn viewer(&self) -> ApiResult<&Viewer> {
        let request = self.request();
        request.viewer.as_ref().ok_or(if request.session_ended {
            ApiError::Unauthenticated("会话已失效，请重新登录")
        } else {
            ApiError::Unauthenticated("请先登录")
        })
    }

    fn guard(&self) -> ApiResult<Guard<'_>> {
        self.viewer().map(Guard::new)
    }

    fn loaders(&self) -> &Loaders {
        &self.request().loaders
    }
}
