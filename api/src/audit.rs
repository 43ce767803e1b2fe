//! The append-only audit trail: every login attempt, logout and mutation, with who,
//! when, from where, and the entity before and after. There is no code path that
//! updates or deletes an `audit_event` row.

use std::net::IpAddr;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, NotSet, Set};
use serde_json::Value;
use touming_store::entity::{audit_event, org};

/// Who did it: a signed-in user, or (for failed logins) only the name that was tried.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub ip: Option<IpAddr>,
}

/// What happened.
pub struct Entry<'a> {
    /// e.g. `login`, `login_failed`, `org.create`
    pub action: &'a str,
    /// e.g. `session`, `org`, `user`
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    /// The org the entity belongs to; its subtree's admins can read the event.
    pub org: Option<&'a org::Model>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Records an entry. Call it on the transaction that makes the change, so the change
/// and its record land together or not at all.
pub async fn record(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    entry: Entry<'_>,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        id: NotSet,
        at: Set(Utc::now()),
        actor_id: Set(actor.id),
        actor_name: Set(actor.name.clone()),
        org_id: Set(entry.org.map(|o| o.id)),
        org_path: Set(entry.org.map(|o| o.path.clone())),
        action: Set(entry.action.to_owned()),
        entity: Set(entry.entity.to_owned()),
        entity_id: Set(entry.entity_id.map(|id| id.to_string())),
        before: Set(entry.before.map(|v| v.to_string())),
        after: Set(entry.after.map(|v| v.to_string())),
        ip: Set(actor.ip.map(|ip| ip.to_string())),
    }
    .insert(conn)
    .await
    .map(|_| ())
}
