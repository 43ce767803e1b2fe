//! Orgs, users, sessions and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Org {
    Table,
    Id,
    ParentId,
    Kind,
    Code,
    Name,
    Path,
    Depth,
    CreatedAt,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
    OrgId,
    Username,
    DisplayName,
    Roles,
    PasswordHash,
    FailedLogins,
    LockedUntil,
    Active,
    PasswordChangedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    RevokedAt,
    Ip,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    At,
    ActorId,
    ActorName,
    OrgId,
    OrgPath,
    Action,
    Entity,
    EntityId,
    Before,
    After,
    Ip,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The subtree of an org is a range scan on `path`; that needs bytewise ordering,
        // which SQLite's BINARY collation gives and PostgreSQL gives only with "C".
        let mut path = string_len(Org::Path, 400);
        if manager.get_database_backend() == DbBackend::Postgres {
            path.extra("COLLATE \"C\"");
        }
        manager
            .create_table(
                Table::create()
                    .table(Org::Table)
                    .col(big_pk_auto(Org::Id))
                    .col(big_integer_null(Org::ParentId))
                    .col(string_len(Org::Kind, 16))
                    .col(string_len_uniq(Org::Code, 18))
                    .col(string_len(Org::Name, 200))
                    .col(path.unique_key())
                    .col(integer(Org::Depth))
                    .col(timestamp_with_time_zone(Org::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Org::Table, Org::ParentId)
                            .to(Org::Table, Org::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("org_parent_idx")
                    .table(Org::Table)
                    .col(Org::ParentId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(User::Table)
                    .col(big_pk_auto(User::Id))
                    .col(big_integer(User::OrgId))
                    .col(string_len_uniq(User::Username, 64))
                    .col(string_len(User::DisplayName, 100))
                    .col(string_len(User::Roles, 64))
                    .col(string_len(User::PasswordHash, 255))
                    .col(integer(User::FailedLogins).default(0))
                    .col(timestamp_with_time_zone_null(User::LockedUntil))
                    .col(boolean(User::Active).default(true))
                    .col(timestamp_with_time_zone(User::PasswordChangedAt))
                    .col(timestamp_with_time_zone(User::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(User::Table, User::OrgId)
                            .to(Org::Table, Org::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("user_org_idx")
                    .table(User::Table)
                    .col(User::OrgId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(big_pk_auto(Session::Id))
                    .col(big_integer(Session::UserId))
                    // Only the SHA-256 of the token is kept: a leaked table opens no session.
                    .col(string_len_uniq(Session::TokenHash, 64))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::LastSeenAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Session::RevokedAt))
                    .col(string_len_null(Session::Ip, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Session::Table, Session::UserId)
                            .to(User::Table, User::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("session_user_idx")
                    .table(Session::Table)
                    .col(Session::UserId)
                    .to_owned(),
            )
            .await?;

        // Append-only: no foreign keys, so that the trail outlives what it describes.
        let mut org_path = string_len_null(AuditEvent::OrgPath, 400);
        if manager.get_database_backend() == DbBackend::Postgres {
            org_path.extra("COLLATE \"C\"");
        }
        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(big_pk_auto(AuditEvent::Id))
                    .col(timestamp_with_time_zone(AuditEvent::At))
                    .col(big_integer_null(AuditEvent::ActorId))
                    .col(string_len_null(AuditEvent::ActorName, 64))
                    .col(big_integer_null(AuditEvent::OrgId))
                    .col(org_path)
                    .col(string_len(AuditEvent::Action, 64))
                    .col(string_len(AuditEvent::Entity, 64))
                    .col(string_len_null(AuditEvent::EntityId, 64))
                    .col(text_null(AuditEvent::Before))
                    .col(text_null(AuditEvent::After))
                    .col(string_len_null(AuditEvent::Ip, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_event_org_path_idx")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::OrgPath)
                    .col(AuditEvent::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_event_actor_idx")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::ActorId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvent::Table.into_iden(),
            Session::Table.into_iden(),
            User::Table.into_iden(),
            Org::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
