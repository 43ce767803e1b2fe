//! Catalogues, their versions and items, and the operator's calendar years.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Org {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Catalogue {
    Table,
    Id,
    OwnerOrgId,
    Code,
    Title,
    AppliesTo,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CatalogueVersion {
    Table,
    Id,
    CatalogueId,
    Label,
    Status,
    SourceFormat,
    SourceName,
    ItemCount,
    CreatedAt,
    CreatedBy,
    PublishedAt,
}

#[derive(DeriveIden)]
enum CatalogueItem {
    Table,
    Id,
    VersionId,
    Position,
    Code,
    Category,
    Title,
    Content,
    Basis,
    TimeLimit,
    TimeLimitText,
    Body,
    Audience,
    Mode,
    Levels,
    Channels,
    NeedsInterpretation,
    EvidenceRequired,
    WeightMilli,
    Veto,
}

#[derive(DeriveIden)]
enum CalendarYear {
    Table,
    Year,
    Notice,
    Holidays,
    Workdays,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Catalogue::Table)
                    .col(big_pk_auto(Catalogue::Id))
                    .col(big_integer(Catalogue::OwnerOrgId))
                    .col(string_len(Catalogue::Code, 64))
                    .col(string_len(Catalogue::Title, 200))
                    // Comma-separated org kinds (PROVINCE,CITY,COUNTY,INSTITUTION).
                    .col(string_len(Catalogue::AppliesTo, 64))
                    .col(timestamp_with_time_zone(Catalogue::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Catalogue::Table, Catalogue::OwnerOrgId)
                            .to(Org::Table, Org::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("catalogue_owner_code_uq")
                    .table(Catalogue::Table)
                    .col(Catalogue::OwnerOrgId)
                    .col(Catalogue::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CatalogueVersion::Table)
                    .col(big_pk_auto(CatalogueVersion::Id))
                    .col(big_integer(CatalogueVersion::CatalogueId))
                    .col(string_len(CatalogueVersion::Label, 200))
                    .col(string_len(CatalogueVersion::Status, 16))
                    .col(string_len(CatalogueVersion::SourceFormat, 16))
                    .col(string_len_null(CatalogueVersion::SourceName, 255))
                    .col(integer(CatalogueVersion::ItemCount))
                    .col(timestamp_with_time_zone(CatalogueVersion::CreatedAt))
                    .col(big_integer_null(CatalogueVersion::CreatedBy))
                    .col(timestamp_with_time_zone_null(CatalogueVersion::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CatalogueVersion::Table, CatalogueVersion::CatalogueId)
                            .to(Catalogue::Table, Catalogue::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("catalogue_version_catalogue_idx")
                    .table(CatalogueVersion::Table)
                    .col(CatalogueVersion::CatalogueId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CatalogueItem::Table)
                    .col(big_pk_auto(CatalogueItem::Id))
                    .col(big_integer(CatalogueItem::VersionId))
                    .col(integer(CatalogueItem::Position))
                    .col(string_len(CatalogueItem::Code, 32))
                    // JSON arrays of strings.
                    .col(text(CatalogueItem::Category))
                    .col(string_len(CatalogueItem::Title, 400))
                    .col(text(CatalogueItem::Content))
                    .col(text(CatalogueItem::Basis))
                    // The rule's code (see touming_domain::catalogue::TimeLimit::code).
                    .col(string_len(CatalogueItem::TimeLimit, 32))
                    .col(text(CatalogueItem::TimeLimitText))
                    .col(text(CatalogueItem::Body))
                    .col(string_len(CatalogueItem::Audience, 16))
                    .col(string_len(CatalogueItem::Mode, 16))
                    .col(text(CatalogueItem::Levels))
                    // Comma-separated channels (WEBSITE,NEW_MEDIA,...).
                    .col(string_len(CatalogueItem::Channels, 128))
                    .col(boolean(CatalogueItem::NeedsInterpretation))
                    .col(boolean(CatalogueItem::EvidenceRequired))
                    .col(integer(CatalogueItem::WeightMilli))
                    .col(boolean(CatalogueItem::Veto))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CatalogueItem::Table, CatalogueItem::VersionId)
                            .to(CatalogueVersion::Table, CatalogueVersion::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("catalogue_item_version_code_uq")
                    .table(CatalogueItem::Table)
                    .col(CatalogueItem::VersionId)
                    .col(CatalogueItem::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CalendarYear::Table)
                    .col(integer(CalendarYear::Year).primary_key())
                    .col(string_len(CalendarYear::Notice, 200))
                    // JSON arrays of ISO dates.
                    .col(text(CalendarYear::Holidays))
                    .col(text(CalendarYear::Workdays))
                    .col(timestamp_with_time_zone(CalendarYear::UpdatedAt))
                    .col(big_integer_null(CalendarYear::UpdatedBy))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CalendarYear::Table.into_iden(),
            CatalogueItem::Table.into_iden(),
            CatalogueVersion::Table.into_iden(),
            Catalogue::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
