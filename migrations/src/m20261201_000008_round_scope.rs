//! A round's scope beyond the org kinds of its catalogues: pilot rounds (试点) over
//! listed subtrees or listed orgs. No row means the whole province, as before.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RoundScope {
    Table,
    Id,
    RoundId,
    OrgId,
    /// True: the org and everything below it; false: that org alone.
    Subtree,
}

#[derive(DeriveIden)]
enum Round {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Org {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RoundScope::Table)
                .col(big_pk_auto(RoundScope::Id))
                .col(big_integer(RoundScope::RoundId))
                .col(big_integer(RoundScope::OrgId))
                .col(boolean(RoundScope::Subtree))
                .foreign_key(
                    ForeignKey::create()
                        .from(RoundScope::Table, RoundScope::RoundId)
                        .to(Round::Table, Round::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RoundScope::Table, RoundScope::OrgId)
                        .to(Org::Table, Org::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("round_scope_uq")
                .table(RoundScope::Table)
                .col(RoundScope::RoundId)
                .col(RoundScope::OrgId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RoundScope::Table).to_owned())
            .await
    }
}
