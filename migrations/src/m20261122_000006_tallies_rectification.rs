//! Per-category and per-item tallies beside each score and roll-up (heat maps, most
//! failed items, trends on shared items), and rectification (整改): the entries a
//! published round leaves behind, with their owner, deadline and life cycle.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Score {
    Table,
    AssignmentId,
    Tally,
}

#[derive(DeriveIden)]
enum Rollup {
    Table,
    Tally,
}

#[derive(DeriveIden)]
enum Assignment {
    Table,
    Id,
    ScoreStale,
}

#[derive(DeriveIden)]
enum Round {
    Table,
    Id,
    PublishedAt,
    RectificationDeadline,
}

#[derive(DeriveIden)]
enum Org {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum User {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Rectification {
    Table,
    Id,
    RoundId,
    AssignmentId,
    OwnerOrgId,
    OwnerPath,
    VersionId,
    ItemCode,
    ItemTitle,
    Category,
    PointsMilli,
    MaxMilli,
    Finding,
    Deadline,
    Status,
    FixNote,
    FixEvidence,
    FixedAt,
    FixedBy,
    ReviewComment,
    ReviewedAt,
    ReviewedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

async fn add_text_column(
    m: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    // SQLite takes one change per ALTER TABLE.
    m.alter_table(
        Table::alter()
            .table(table)
            .add_column(text(column).default("{}"))
            .to_owned(),
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_text_column(m, Score::Table, Score::Tally).await?;
        add_text_column(m, Rollup::Table, Rollup::Tally).await?;
        // Existing scores have no tally yet: the reconciler scores them again, and
        // their roll-ups with them.
        m.exec_stmt(
            Query::update()
                .table(Assignment::Table)
                .value(Assignment::ScoreStale, true)
                .and_where(
                    Expr::col(Assignment::Id).in_subquery(
                        Query::select()
                            .column(Score::AssignmentId)
                            .from(Score::Table)
                            .to_owned(),
                    ),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Round::Table)
                .add_column(timestamp_with_time_zone_null(Round::PublishedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Round::Table)
                .add_column(date_null(Round::RectificationDeadline))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Rectification::Table)
                .col(big_pk_auto(Rectification::Id))
                .col(big_integer(Rectification::RoundId))
                .col(big_integer(Rectification::AssignmentId))
                .col(big_integer(Rectification::OwnerOrgId))
                // The owner's org path, so a region's entries are one range scan.
                .col(string_len(Rectification::OwnerPath, 255))
                .col(big_integer(Rectification::VersionId))
                .col(string_len(Rectification::ItemCode, 32))
                .col(text(Rectification::ItemTitle))
                .col(text(Rectification::Category))
                .col(big_integer(Rectification::PointsMilli))
                .col(big_integer(Rectification::MaxMilli))
                // The score's explanation when the round was published.
                .col(text(Rectification::Finding))
                .col(date(Rectification::Deadline))
                .col(string_len(Rectification::Status, 16))
                .col(text_null(Rectification::FixNote))
                // JSON array of evidence URLs.
                .col(text(Rectification::FixEvidence).default("[]"))
                .col(timestamp_with_time_zone_null(Rectification::FixedAt))
                .col(big_integer_null(Rectification::FixedBy))
                .col(text_null(Rectification::ReviewComment))
                .col(timestamp_with_time_zone_null(Rectification::ReviewedAt))
                .col(big_integer_null(Rectification::ReviewedBy))
                .col(integer(Rectification::Version).default(1))
                .col(timestamp_with_time_zone(Rectification::CreatedAt))
                .col(timestamp_with_time_zone(Rectification::UpdatedAt))
                .foreign_key(&mut fk(
                    (Rectification::Table, Rectification::RoundId),
                    (Round::Table, Round::Id),
                ))
                .foreign_key(&mut fk(
                    (Rectification::Table, Rectification::AssignmentId),
                    (Assignment::Table, Assignment::Id),
                ))
                .foreign_key(&mut fk(
                    (Rectification::Table, Rectification::OwnerOrgId),
                    (Org::Table, Org::Id),
                ))
                .foreign_key(&mut fk(
                    (Rectification::Table, Rectification::FixedBy),
                    (User::Table, User::Id),
                ))
                .foreign_key(&mut fk(
                    (Rectification::Table, Rectification::ReviewedBy),
                    (User::Table, User::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("rectification_item_uq")
                .table(Rectification::Table)
                .col(Rectification::AssignmentId)
                .col(Rectification::ItemCode)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("rectification_round_path_idx")
                .table(Rectification::Table)
                .col(Rectification::RoundId)
                .col(Rectification::OwnerPath)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("rectification_owner_status_idx")
                .table(Rectification::Table)
                .col(Rectification::OwnerOrgId)
                .col(Rectification::Status)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Rectification::Table).to_owned())
            .await?;
        for column in [Round::RectificationDeadline, Round::PublishedAt] {
            m.alter_table(
                Table::alter()
                    .table(Round::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Rollup::Table)
                .drop_column(Rollup::Tally)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Score::Table)
                .drop_column(Score::Tally)
                .to_owned(),
        )
        .await
    }
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}
