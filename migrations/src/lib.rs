//! The one schema of Touming. Every migration runs unchanged on SQLite and PostgreSQL;
//! where the two differ (collation of the org path), the migration says so itself.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_identity;
mod m20261122_000002_catalogue;
mod m20261122_000003_assessment;
mod m20261122_000004_scores;
mod m20261122_000005_score_indicators;
mod m20261122_000006_tallies_rectification;
mod m20261201_000007_thirteen_channels;
mod m20261201_000008_round_scope;
mod m20261201_000009_sign_in;
mod m20261201_000010_strict_composite;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_identity::Migration),
            Box::new(m20261122_000002_catalogue::Migration),
            Box::new(m20261122_000003_assessment::Migration),
            Box::new(m20261122_000004_scores::Migration),
            Box::new(m20261122_000005_score_indicators::Migration),
            Box::new(m20261122_000006_tallies_rectification::Migration),
            Box::new(m20261201_000007_thirteen_channels::Migration),
            Box::new(m20261201_000008_round_scope::Migration),
            Box::new(m20261201_000009_sign_in::Migration),
            Box::new(m20261201_000010_strict_composite::Migration),
        ]
    }
}
