//! A score's indicators in a column of their own: roll-ups and comparisons read them for
//! every child and should not parse each checklist's item explanations to get them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Score {
    Table,
    AssignmentId,
    Indicators,
}

#[derive(DeriveIden)]
enum Assignment {
    Table,
    Id,
    ScoreStale,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Score::Table)
                .add_column(text(Score::Indicators).default("{}"))
                .to_owned(),
        )
        .await?;
        // Existing scores have no indicators in the new column: the reconciler scores
        // them again.
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
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Score::Table)
                .drop_column(Score::Indicators)
                .to_owned(),
        )
        .await
    }
}
