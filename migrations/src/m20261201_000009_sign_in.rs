//! Sign-in that holds under attack. Failed attempts are counted per *name* in a table
//! of their own, so a name that belongs to nobody locks exactly like one that does
//! (LOCKED says nothing about existence) and the count is one atomic upsert however
//! many attempts race. The user's own counter columns go. Administrators' second
//! factor: a TOTP secret (confirmed or awaiting confirmation) and hashed recovery codes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginLockout {
    Table,
    /// The normalised user name tried (at most 64 characters, like user names).
    Username,
    /// Attempts counted since the last success or the end of the last lock.
    Failures,
    LockedUntil,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
    FailedLogins,
    LockedUntil,
    /// Base32 TOTP secret once the user confirmed a code from it.
    TotpSecret,
    /// A secret shown for enrolment, not yet confirmed.
    TotpPendingSecret,
    TotpEnrolledAt,
    /// The last time step whose code was accepted: a code is good once (RFC 6238 §5.2).
    TotpLastStep,
}

#[derive(DeriveIden)]
enum RecoveryCode {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LoginLockout::Table)
                .col(string_len(LoginLockout::Username, 64).primary_key())
                .col(integer(LoginLockout::Failures))
                .col(timestamp_with_time_zone_null(LoginLockout::LockedUntil))
                .col(timestamp_with_time_zone(LoginLockout::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // SQLite alters one column per statement.
        for column in [User::FailedLogins, User::LockedUntil] {
            m.alter_table(
                Table::alter()
                    .table(User::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for column in [
            string_len_null(User::TotpSecret, 64),
            string_len_null(User::TotpPendingSecret, 64),
            timestamp_with_time_zone_null(User::TotpEnrolledAt),
            big_integer_null(User::TotpLastStep),
        ] {
            let mut column = column;
            m.alter_table(
                Table::alter()
                    .table(User::Table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(RecoveryCode::Table)
                .col(big_pk_auto(RecoveryCode::Id))
                .col(big_integer(RecoveryCode::UserId))
                .col(string_len(RecoveryCode::CodeHash, 64))
                .col(timestamp_with_time_zone_null(RecoveryCode::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RecoveryCode::Table, RecoveryCode::UserId)
                        .to(User::Table, User::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("recovery_code_user_idx")
                .table(RecoveryCode::Table)
                .col(RecoveryCode::UserId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RecoveryCode::Table).to_owned())
            .await?;
        for column in [
            User::TotpSecret,
            User::TotpPendingSecret,
            User::TotpEnrolledAt,
            User::TotpLastStep,
        ] {
            m.alter_table(
                Table::alter()
                    .table(User::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for mut column in [
            integer(User::FailedLogins).default(0).to_owned(),
            timestamp_with_time_zone_null(User::LockedUntil),
        ] {
            m.alter_table(
                Table::alter()
                    .table(User::Table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(LoginLockout::Table).to_owned())
            .await
    }
}
