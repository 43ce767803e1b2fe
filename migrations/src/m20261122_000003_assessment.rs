//! Rounds, assignments (checklists), answers, history, snapshots, review comments,
//! evidence files and notifications.

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
enum CatalogueVersion {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Round {
    Table,
    Id,
    OwnerOrgId,
    Title,
    PeriodStart,
    PeriodEnd,
    Deadline,
    Status,
    Policy,
    ReminderDaysBefore,
    PrefillFromRoundId,
    SelfCheck,
    CreatedAt,
    CreatedBy,
    OpenedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum RoundCatalogue {
    Table,
    Id,
    RoundId,
    OrgKind,
    VersionId,
}

#[derive(DeriveIden)]
enum Assignment {
    Table,
    Id,
    RoundId,
    OrgId,
    VersionId,
    Status,
    Version,
    Reopened,
    SelfCheckedAt,
    ScoreStale,
    SubmittedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Answer {
    Table,
    Id,
    AssignmentId,
    ItemCode,
    Status,
    NaReason,
    FormedOn,
    PublishedOn,
    Channels,
    EvidenceUrls,
    InterpretationOn,
    InterpretationForms,
    Note,
    Periods,
    Prefilled,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum AssignmentEvent {
    Table,
    Id,
    AssignmentId,
    At,
    ActorId,
    ActorName,
    Action,
    FromStatus,
    ToStatus,
    Comment,
    SnapshotId,
}

#[derive(DeriveIden)]
enum AssignmentSnapshot {
    Table,
    Id,
    AssignmentId,
    At,
    Answers,
}

#[derive(DeriveIden)]
enum ReviewComment {
    Table,
    Id,
    AssignmentId,
    EventId,
    ItemCode,
    Comment,
    At,
    AuthorId,
}

#[derive(DeriveIden)]
enum EvidenceFile {
    Table,
    Id,
    AssignmentId,
    ItemCode,
    FileName,
    ContentType,
    Size,
    Sha256,
    StorageKey,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    OrgId,
    RoundId,
    AssignmentId,
    Kind,
    Message,
    CreatedAt,
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

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create().name(name).table(table).to_owned();
    for c in cols {
        stmt.col(c);
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Round::Table)
                .col(big_pk_auto(Round::Id))
                .col(big_integer(Round::OwnerOrgId))
                .col(string_len(Round::Title, 200))
                .col(date(Round::PeriodStart))
                .col(date(Round::PeriodEnd))
                .col(date(Round::Deadline))
                .col(string_len(Round::Status, 16))
                // JSON of touming_domain::assessment::ScoringPolicy.
                .col(text(Round::Policy))
                .col(integer(Round::ReminderDaysBefore))
                .col(big_integer_null(Round::PrefillFromRoundId))
                // Submitted checklists are first checked by the org's own reviewers.
                .col(boolean(Round::SelfCheck).default(false))
                .col(timestamp_with_time_zone(Round::CreatedAt))
                .col(big_integer_null(Round::CreatedBy))
                .col(timestamp_with_time_zone_null(Round::OpenedAt))
                .col(timestamp_with_time_zone_null(Round::ClosedAt))
                .foreign_key(&mut fk(
                    (Round::Table, Round::OwnerOrgId),
                    (Org::Table, Org::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "round_owner_idx",
            Round::Table,
            vec![Round::OwnerOrgId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RoundCatalogue::Table)
                .col(big_pk_auto(RoundCatalogue::Id))
                .col(big_integer(RoundCatalogue::RoundId))
                .col(string_len(RoundCatalogue::OrgKind, 16))
                .col(big_integer(RoundCatalogue::VersionId))
                .foreign_key(&mut fk(
                    (RoundCatalogue::Table, RoundCatalogue::RoundId),
                    (Round::Table, Round::Id),
                ))
                .foreign_key(&mut fk(
                    (RoundCatalogue::Table, RoundCatalogue::VersionId),
                    (CatalogueVersion::Table, CatalogueVersion::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "round_catalogue_kind_uq",
            RoundCatalogue::Table,
            vec![
                RoundCatalogue::RoundId.into_iden(),
                RoundCatalogue::OrgKind.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Assignment::Table)
                .col(big_pk_auto(Assignment::Id))
                .col(big_integer(Assignment::RoundId))
                .col(big_integer(Assignment::OrgId))
                .col(big_integer(Assignment::VersionId))
                .col(string_len(Assignment::Status, 16))
                // Optimistic concurrency: every save must name the version it started from.
                .col(integer(Assignment::Version).default(0))
                // Reopened by the province after the deadline: may be submitted again.
                .col(boolean(Assignment::Reopened).default(false))
                .col(timestamp_with_time_zone_null(Assignment::SelfCheckedAt))
                // Set in the same transaction as any change to answers; the scorer clears it.
                .col(boolean(Assignment::ScoreStale).default(true))
                .col(timestamp_with_time_zone_null(Assignment::SubmittedAt))
                .col(timestamp_with_time_zone(Assignment::UpdatedAt))
                .foreign_key(&mut fk(
                    (Assignment::Table, Assignment::RoundId),
                    (Round::Table, Round::Id),
                ))
                .foreign_key(&mut fk(
                    (Assignment::Table, Assignment::OrgId),
                    (Org::Table, Org::Id),
                ))
                .foreign_key(&mut fk(
                    (Assignment::Table, Assignment::VersionId),
                    (CatalogueVersion::Table, CatalogueVersion::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "assignment_round_org_uq",
            Assignment::Table,
            vec![
                Assignment::RoundId.into_iden(),
                Assignment::OrgId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            m,
            "assignment_org_idx",
            Assignment::Table,
            vec![Assignment::OrgId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Answer::Table)
                .col(big_pk_auto(Answer::Id))
                .col(big_integer(Answer::AssignmentId))
                .col(string_len(Answer::ItemCode, 32))
                .col(string_len(Answer::Status, 16))
                .col(text_null(Answer::NaReason))
                .col(date_null(Answer::FormedOn))
                .col(date_null(Answer::PublishedOn))
                .col(string_len(Answer::Channels, 128))
                .col(text(Answer::EvidenceUrls))
                .col(date_null(Answer::InterpretationOn))
                .col(string_len(Answer::InterpretationForms, 128))
                .col(text_null(Answer::Note))
                .col(text(Answer::Periods))
                .col(boolean(Answer::Prefilled).default(false))
                .col(timestamp_with_time_zone(Answer::UpdatedAt))
                .col(big_integer_null(Answer::UpdatedBy))
                .foreign_key(&mut fk(
                    (Answer::Table, Answer::AssignmentId),
                    (Assignment::Table, Assignment::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "answer_assignment_item_uq",
            Answer::Table,
            vec![
                Answer::AssignmentId.into_iden(),
                Answer::ItemCode.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AssignmentSnapshot::Table)
                .col(big_pk_auto(AssignmentSnapshot::Id))
                .col(big_integer(AssignmentSnapshot::AssignmentId))
                .col(timestamp_with_time_zone(AssignmentSnapshot::At))
                // JSON array of the answers as submitted.
                .col(text(AssignmentSnapshot::Answers))
                .foreign_key(&mut fk(
                    (AssignmentSnapshot::Table, AssignmentSnapshot::AssignmentId),
                    (Assignment::Table, Assignment::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "assignment_snapshot_assignment_idx",
            AssignmentSnapshot::Table,
            vec![AssignmentSnapshot::AssignmentId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AssignmentEvent::Table)
                .col(big_pk_auto(AssignmentEvent::Id))
                .col(big_integer(AssignmentEvent::AssignmentId))
                .col(timestamp_with_time_zone(AssignmentEvent::At))
                .col(big_integer_null(AssignmentEvent::ActorId))
                .col(string_len_null(AssignmentEvent::ActorName, 64))
                .col(string_len(AssignmentEvent::Action, 32))
                .col(string_len(AssignmentEvent::FromStatus, 16))
                .col(string_len(AssignmentEvent::ToStatus, 16))
                .col(text_null(AssignmentEvent::Comment))
                .col(big_integer_null(AssignmentEvent::SnapshotId))
                .foreign_key(&mut fk(
                    (AssignmentEvent::Table, AssignmentEvent::AssignmentId),
                    (Assignment::Table, Assignment::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "assignment_event_assignment_idx",
            AssignmentEvent::Table,
            vec![AssignmentEvent::AssignmentId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ReviewComment::Table)
                .col(big_pk_auto(ReviewComment::Id))
                .col(big_integer(ReviewComment::AssignmentId))
                .col(big_integer(ReviewComment::EventId))
                .col(string_len_null(ReviewComment::ItemCode, 32))
                .col(text(ReviewComment::Comment))
                .col(timestamp_with_time_zone(ReviewComment::At))
                .col(big_integer_null(ReviewComment::AuthorId))
                .foreign_key(&mut fk(
                    (ReviewComment::Table, ReviewComment::AssignmentId),
                    (Assignment::Table, Assignment::Id),
                ))
                .foreign_key(&mut fk(
                    (ReviewComment::Table, ReviewComment::EventId),
                    (AssignmentEvent::Table, AssignmentEvent::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "review_comment_assignment_idx",
            ReviewComment::Table,
            vec![ReviewComment::AssignmentId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EvidenceFile::Table)
                .col(big_pk_auto(EvidenceFile::Id))
                .col(big_integer(EvidenceFile::AssignmentId))
                .col(string_len(EvidenceFile::ItemCode, 32))
                .col(string_len(EvidenceFile::FileName, 255))
                .col(string_len(EvidenceFile::ContentType, 128))
                .col(big_integer(EvidenceFile::Size))
                .col(string_len(EvidenceFile::Sha256, 64))
                .col(string_len(EvidenceFile::StorageKey, 255))
                .col(timestamp_with_time_zone(EvidenceFile::CreatedAt))
                .col(big_integer_null(EvidenceFile::CreatedBy))
                .foreign_key(&mut fk(
                    (EvidenceFile::Table, EvidenceFile::AssignmentId),
                    (Assignment::Table, Assignment::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "evidence_file_assignment_idx",
            EvidenceFile::Table,
            vec![
                EvidenceFile::AssignmentId.into_iden(),
                EvidenceFile::ItemCode.into_iden(),
            ],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notification::Table)
                .col(big_pk_auto(Notification::Id))
                .col(big_integer(Notification::OrgId))
                .col(big_integer(Notification::RoundId))
                .col(big_integer_null(Notification::AssignmentId))
                .col(string_len(Notification::Kind, 32))
                .col(text(Notification::Message))
                .col(timestamp_with_time_zone(Notification::CreatedAt))
                .foreign_key(&mut fk(
                    (Notification::Table, Notification::OrgId),
                    (Org::Table, Org::Id),
                ))
                .foreign_key(&mut fk(
                    (Notification::Table, Notification::RoundId),
                    (Round::Table, Round::Id),
                ))
                .to_owned(),
        )
        .await?;
        // One reminder of a kind per checklist: the job may run any number of times.
        index(
            m,
            "notification_once_uq",
            Notification::Table,
            vec![
                Notification::RoundId.into_iden(),
                Notification::OrgId.into_iden(),
                Notification::Kind.into_iden(),
            ],
            true,
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notification::Table.into_iden(),
            EvidenceFile::Table.into_iden(),
            ReviewComment::Table.into_iden(),
            AssignmentEvent::Table.into_iden(),
            AssignmentSnapshot::Table.into_iden(),
            Answer::Table.into_iden(),
            Assignment::Table.into_iden(),
            RoundCatalogue::Table.into_iden(),
            Round::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
