//! The YAML form of a catalogue: what the built-in catalogues are written in, and what
//! a province can keep under version control.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use touming_domain::OrgKind;
use touming_domain::catalogue::{
    Audience, Channel, DisclosureMode, Item, TimeLimit, check_items, parse_weight, weight_text,
};

use super::{ImportError, Parsed};

/// The "sheet" name YAML errors carry; they read "第 N 项（字段）".
pub const SHEET: &str = "YAML";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    pub code: String,
    pub title: String,
    /// PROVINCE, CITY, COUNTY, INSTITUTION
    pub applies_to: Vec<String>,
    /// Free text for people: sources, how weights were chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub items: Vec<ItemEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Number {
    Float(f64),
    Text(String),
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemEntry {
    pub code: String,
    #[serde(default)]
    pub category: Vec<String>,
    pub title: String,
    #[serde(default)]
    pub content: Vec<String>,
    #[serde(default)]
    pub basis: String,
    /// The catalogue's wording (公开时限).
    #[serde(default)]
    pub time_limit: String,
    /// The rule, when the wording alone does not say it (`working_days:7`, `annual:01-31`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_rule: Option<String>,
    #[serde(default)]
    pub body: String,
    #[serde(default = "public")]
    pub audience: String,
    #[serde(default = "proactive")]
    pub mode: String,
    #[serde(default)]
    pub levels: Vec<String>,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub interpretation: bool,
    #[serde(default)]
    pub evidence: bool,
    pub weight: Number,
    #[serde(default)]
    pub veto: bool,
}

fn public() -> String {
    "全社会".into()
}
fn proactive() -> String {
    "主动".into()
}

fn error(row: usize, field: &str, message: impl Into<String>) -> ImportError {
    ImportError {
        sheet: SHEET.into(),
        row: Some(row as u32 + 1),
        column: Some(field.into()),
        header: None,
        message: message.into(),
    }
}

fn item(index: usize, entry: ItemEntry, errors: &mut Vec<ImportError>) -> Item {
    let time_limit = match &entry.time_limit_rule {
        Some(code) => {
            TimeLimit::from_code(code).map_err(|e| error(index, "time_limit_rule", e.to_string()))
        }
        None => TimeLimit::from_wording(&entry.time_limit)
            .map_err(|e| error(index, "time_limit", e.to_string())),
    }
    .unwrap_or_else(|e| {
        errors.push(e);
        TimeLimit::None
    });
    let mut channels = BTreeSet::new();
    for label in &entry.channels {
        match label.parse::<Channel>() {
            Ok(c) => {
                channels.insert(c);
            }
            Err(e) => errors.push(error(index, "channels", e.to_string())),
        }
    }
    let audience = Audience::from_label(&entry.audience).unwrap_or_else(|| {
        errors.push(error(
            index,
            "audience",
            format!("公开对象“{}”应为全社会或特定群体", entry.audience),
        ));
        Audience::Public
    });
    let mode = DisclosureMode::from_label(&entry.mode).unwrap_or_else(|| {
        errors.push(error(
            index,
            "mode",
            format!("公开方式“{}”应为主动或依申请", entry.mode),
        ));
        DisclosureMode::Proactive
    });
    let weight = match &entry.weight {
        Number::Float(f) => format!("{f}"),
        Number::Text(t) => t.clone(),
    };
    let weight_milli = parse_weight(&weight).unwrap_or_else(|message| {
        errors.push(error(index, "weight", message));
        1000
    });
    Item {
        code: entry.code.trim().to_owned(),
        category: entry.category,
        title: entry.title.trim().to_owned(),
        content: entry.content,
        basis: entry.basis,
        time_limit_text: if entry.time_limit.trim().is_empty() {
            time_limit.to_string()
        } else {
            entry.time_limit
        },
        time_limit,
        body: entry.body,
        audience,
        mode,
        levels: entry.levels,
        channels,
        needs_interpretation: entry.interpretation,
        evidence_required: entry.evidence,
        weight_milli,
        veto: entry.veto,
    }
}

pub fn parse(bytes: &[u8]) -> Result<Parsed, Vec<ImportError>> {
    let file: CatalogueFile = serde_yaml_ng::from_slice(bytes).map_err(|e| {
        let message = match e.location() {
            Some(at) => format!("YAML 第 {} 行第 {} 列：{e}", at.line(), at.column()),
            None => format!("YAML 格式错误：{e}"),
        };
        vec![ImportError::file(message)]
    })?;
    let mut errors = Vec::new();
    let mut applies_to = Vec::new();
    for kind in &file.applies_to {
        match kind.parse::<OrgKind>() {
            Ok(k) => applies_to.push(k),
            Err(e) => errors.push(ImportError::file(format!("applies_to：{e}"))),
        }
    }
    let items: Vec<Item> = file
        .items
        .into_iter()
        .enumerate()
        .map(|(i, entry)| item(i, entry, &mut errors))
        .collect();
    if items.is_empty() {
        errors.push(ImportError::file("文件中没有任何事项"));
    }
    for problem in check_items(&items) {
        let message = match problem.duplicate_of {
            Some(first) => format!("{}，与第 {} 项相同", problem.message, first + 1),
            None => problem.message.clone(),
        };
        errors.push(error(problem.index, problem.field, message));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Parsed {
        code: Some(file.code),
        title: Some(file.title),
        applies_to,
        items,
    })
}

/// The YAML form of items (for keeping a province's catalogue under version control).
pub fn entry(item: &Item) -> ItemEntry {
    let wording_reads_back =
        TimeLimit::from_wording(&item.time_limit_text).ok() == Some(item.time_limit);
    ItemEntry {
        code: item.code.clone(),
        category: item.category.clone(),
        title: item.title.clone(),
        content: item.content.clone(),
        basis: item.basis.clone(),
        time_limit: item.time_limit_text.clone(),
        time_limit_rule: (!wording_reads_back).then(|| item.time_limit.code()),
        body: item.body.clone(),
        audience: item.audience.label().into(),
        mode: item.mode.label().into(),
        levels: item.levels.clone(),
        channels: item.channels.iter().map(|c| c.label().to_owned()).collect(),
        interpretation: item.needs_interpretation,
        evidence: item.evidence_required,
        weight: Number::Text(weight_text(item.weight_milli)),
        veto: item.veto,
    }
}
