//! Scores of checklists and roll-ups of regions, per round.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Assignment {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Score {
    Table,
    AssignmentId,
    RoundId,
    OrgId,
    AnswersVersion,
    TotalMilli,
    MaxMilli,
    PercentMilli,
    Grade,
    VetoFailed,
    Detail,
    ComputedAt,
}

#[derive(DeriveIden)]
enum Rollup {
    Table,
    Id,
    RoundId,
    OrgId,
    CompositeMilli,
    Expected,
    Submitted,
    Approved,
    Indicators,
    Spread,
    ComputedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Score::Table)
                .col(big_integer(Score::AssignmentId).primary_key())
                .col(big_integer(Score::RoundId))
                .col(big_integer(Score::OrgId))
                // The checklist version the score was computed from.
                .col(integer(Score::AnswersVersion))
                .col(big_integer(Score::TotalMilli))
                .col(big_integer(Score::MaxMilli))
                .col(integer(Score::PercentMilli))
                .col(string_len(Score::Grade, 16))
                .col(boolean(Score::VetoFailed))
                // JSON: items with explanations, categories, indicators.
                .col(text(Score::Detail))
                .col(timestamp_with_time_zone(Score::ComputedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Score::Table, Score::AssignmentId)
                        .to(Assignment::Table, Assignment::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("score_round_org_idx")
                .table(Score::Table)
                .col(Score::RoundId)
                .col(Score::OrgId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Rollup::Table)
                .col(big_pk_auto(Rollup::Id))
                .col(big_integer(Rollup::RoundId))
                .col(big_integer(Rollup::OrgId))
                .col(integer_null(Rollup::CompositeMilli))
                .col(integer(Rollup::Expected))
                .col(integer(Rollup::Submitted))
                .col(integer(Rollup::Approved))
                .col(text(Rollup::Indicators))
                .col(text_null(Rollup::Spread))
                .col(timestamp_with_time_zone(Rollup::ComputedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("rollup_round_org_uq")
                .table(Rollup::Table)
                .col(Rollup::RoundId)
                .col(Rollup::OrgId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Rollup::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Score::Table).to_owned())
            .await
    }
}
