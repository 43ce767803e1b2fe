//! Catalogue items and catalogues between their rows and the domain.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, Set};
use touming_domain::OrgKind;
use touming_domain::catalogue::{Audience, Channel, DisclosureMode, Item, TimeLimit};

use crate::codec::{At, from_json, join_codes, split_codes, to_json};
use crate::entity::{catalogue, catalogue_item};
use crate::error::StoreResult;

/// The row that stores `item` at `position` of a version.
pub fn item_to_row(version_id: i64, position: usize, item: &Item) -> catalogue_item::ActiveModel {
    catalogue_item::ActiveModel {
        id: NotSet,
        version_id: Set(version_id),
        position: Set(position as i32),
        code: Set(item.code.clone()),
        category: Set(to_json(&item.category)),
        title: Set(item.title.clone()),
        content: Set(to_json(&item.content)),
        basis: Set(item.basis.clone()),
        time_limit: Set(item.time_limit.code()),
        time_limit_text: Set(item.time_limit_text.clone()),
        body: Set(item.body.clone()),
        audience: Set(item.audience.label().to_owned()),
        mode: Set(item.mode.label().to_owned()),
        levels: Set(to_json(&item.levels)),
        channels: Set(join_codes(item.channels.iter().map(|c| c.as_str()))),
        needs_interpretation: Set(item.needs_interpretation),
        evidence_required: Set(item.evidence_required),
        weight_milli: Set(item.weight_milli as i32),
        veto: Set(item.veto),
    }
}

/// The domain item a stored row holds. Rows are only ever written from valid items,
/// so anything unreadable is an error, not a guess.
pub fn item_from_row(row: &catalogue_item::Model) -> StoreResult<Item> {
    let at = |column| At::new("catalogue_item", column, row.id);
    Ok(Item {
        code: row.code.clone(),
        category: from_json(at("category"), &row.category)?,
        title: row.title.clone(),
        content: from_json(at("content"), &row.content)?,
        basis: row.basis.clone(),
        time_limit: TimeLimit::from_code(&row.time_limit).map_err(|e| at("time_limit").error(e))?,
        time_limit_text: row.time_limit_text.clone(),
        body: row.body.clone(),
        audience: Audience::from_label(&row.audience)
            .ok_or_else(|| at("audience").error(format!("unknown audience {:?}", row.audience)))?,
        mode: DisclosureMode::from_label(&row.mode)
            .ok_or_else(|| at("mode").error(format!("unknown mode {:?}", row.mode)))?,
        levels: from_json(at("levels"), &row.levels)?,
        channels: split_codes(at("channels"), &row.channels, Channel::parse)?,
        needs_interpretation: row.needs_interpretation,
        evidence_required: row.evidence_required,
        weight_milli: u32::try_from(row.weight_milli).map_err(|_| {
            at("weight_milli").error(format!("negative weight {}", row.weight_milli))
        })?,
        veto: row.veto,
    })
}

/// A version's items in file order.
pub async fn version_items(db: &impl ConnectionTrait, version_id: i64) -> StoreResult<Vec<Item>> {
    catalogue_item::Entity::find()
        .filter(catalogue_item::Column::VersionId.eq(version_id))
        .order_by_asc(catalogue_item::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(item_from_row)
        .collect()
}

/// The `applies_to` column of a catalogue.
pub fn applies_to_text(kinds: &[OrgKind]) -> String {
    join_codes(kinds.iter().map(|k| k.as_str()))
}

/// The org kinds a catalogue is for.
pub fn applies_to(row: &catalogue::Model) -> StoreResult<Vec<OrgKind>> {
    split_codes(
        At::new("catalogue", "applies_to", row.id),
        &row.applies_to,
        OrgKind::parse,
    )
}

/// The items of the catalogue versions rounds use, read once per process: a round can
/// only use a published version, and a published version's items never change (a
/// correction is a new version). Saving answers checks item codes and scoring needs
/// the rules, many times a second — re-reading and decoding 150 rows each time was a
/// sixth of an autosave's cost.
#[derive(Default)]
pub struct RoundItems(std::sync::Mutex<std::collections::HashMap<i64, std::sync::Arc<Vec<Item>>>>);

impl RoundItems {
    /// The items of `version_id`, which a round uses.
    pub async fn of(
        &self,
        db: &impl ConnectionTrait,
        version_id: i64,
    ) -> StoreResult<std::sync::Arc<Vec<Item>>> {
        let cached = self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&version_id)
            .cloned();
        if let Some(items) = cached {
            return Ok(items);
        }
        let items = std::sync::Arc::new(version_items(db, version_id).await?);
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(version_id, items.clone());
        Ok(items)
    }
}
