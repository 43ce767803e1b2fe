//! The thirteen published carriers replace the seven folded channels (DOMAIN.md §2).
//! Stored codes that no longer exist move to the nearest carrier: PRESS (政府公报、发布会、
//! 广播电视、纸质媒体 together) → GAZETTE, SERVICE_HALL → SERVICE_CENTER, HOTLINE → OTHER;
//! the other four codes are unchanged. Comma lists (`answer.channels`,
//! `catalogue_item.channels`) and the JSON of submission snapshots are rewritten; every
//! checklist is marked for rescoring so explanations use the new labels (published
//! rounds are not rescored: their results stand as published).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm;

#[derive(DeriveMigrationName)]
pub struct Migration;

const MOVES: [(&str, &str); 3] = [
    ("PRESS", "GAZETTE"),
    ("SERVICE_HALL", "SERVICE_CENTER"),
    ("HOTLINE", "OTHER"),
];

/// `column` with each old code of its comma list replaced, on both databases: the list
/// is framed in commas so only whole codes match, and the frame is cut off again.
fn comma_list(column: &str) -> String {
    let mut expr = format!("',' || {column} || ','");
    for (old, new) in MOVES {
        expr = format!("replace({expr}, ',{old},', ',{new},')");
    }
    format!("substr({expr}, 2, length({expr}) - 2)")
}

fn json_text(column: &str) -> String {
    let mut expr = column.to_owned();
    for (old, new) in MOVES {
        expr = format!("replace({expr}, '\"{old}\"', '\"{new}\"')");
    }
    expr
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // All thirteen codes joined run to 152 characters, past the old 128. SQLite does
        // not enforce a length; PostgreSQL's columns become text.
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            for table in ["answer", "catalogue_item"] {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ALTER COLUMN channels TYPE text"
                ))
                .await?;
            }
        }
        for table in ["answer", "catalogue_item"] {
            db.execute_unprepared(&format!(
                "UPDATE {table} SET channels = {} WHERE channels <> ''",
                comma_list("channels")
            ))
            .await?;
        }
        db.execute_unprepared(&format!(
            "UPDATE assignment_snapshot SET answers = {}",
            json_text("answers")
        ))
        .await?;
        db.execute_unprepared("UPDATE assignment SET score_stale = TRUE")
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Thirteen carriers do not fold back into seven without losing which one it was.
        Err(DbErr::Migration(
            "the thirteen-channel vocabulary cannot be folded back into seven".into(),
        ))
    }
}
