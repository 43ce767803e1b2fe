//! A roll-up's strict composite: every unsubmitted checklist counted as 0 while the
//! round is still open, so a comparison can rank without rewarding the regions that
//! submitted least.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rollup {
    Table,
    StrictCompositeMilli,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Rollup::Table)
                .add_column(integer_null(Rollup::StrictCompositeMilli))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        // In a closed round the unsubmitted already count as 0: the two are the same.
        db.execute_unprepared(
            "UPDATE rollup SET strict_composite_milli = composite_milli \
             WHERE round_id IN (SELECT id FROM round WHERE status IN ('CLOSED', 'PUBLISHED'))",
        )
        .await?;
        // In an open round it has to be computed: the reconciler scores the round's
        // checklists again and rolls every region above them up with it.
        db.execute_unprepared(
            "UPDATE assignment SET score_stale = TRUE \
             WHERE round_id IN (SELECT id FROM round WHERE status = 'OPEN')",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Rollup::Table)
                .drop_column(Rollup::StrictCompositeMilli)
                .to_owned(),
        )
        .await
    }
}
