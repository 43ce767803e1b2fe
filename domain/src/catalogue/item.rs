//! One catalogue item and the rules a version's items must satisfy together.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Channel, TimeLimit};

/// 公开对象
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Audience {
    /// 全社会
    Public,
    /// 特定群体
    Specific,
}

impl Audience {
    pub fn label(self) -> &'static str {
        match self {
            Audience::Public => "全社会",
            Audience::Specific => "特定群体",
        }
    }
    pub fn from_label(s: &str) -> Option<Audience> {
        match s.trim() {
            "全社会" | "PUBLIC" => Some(Audience::Public),
            "特定群体" | "SPECIFIC" => Some(Audience::Specific),
            _ => None,
        }
    }
}

/// 公开方式
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DisclosureMode {
    /// 主动
    Proactive,
    /// 依申请
    OnApplication,
}

impl DisclosureMode {
    pub fn label(self) -> &'static str {
        match self {
            DisclosureMode::Proactive => "主动",
            DisclosureMode::OnApplication => "依申请",
        }
    }
    pub fn from_label(s: &str) -> Option<DisclosureMode> {
        match s.trim() {
            "主动" | "PROACTIVE" => Some(DisclosureMode::Proactive),
            "依申请" | "ON_APPLICATION" => Some(DisclosureMode::OnApplication),
            _ => None,
        }
    }
}

/// DRAFT → PUBLISHED (immutable) → RETIRED.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VersionStatus {
    Draft,
    Published,
    Retired,
}

impl VersionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Draft => "DRAFT",
            VersionStatus::Published => "PUBLISHED",
            VersionStatus::Retired => "RETIRED",
        }
    }
    pub fn parse(s: &str) -> Option<VersionStatus> {
        [
            VersionStatus::Draft,
            VersionStatus::Published,
            VersionStatus::Retired,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// A catalogue item (one row of the published table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// 序号, e.g. `0104`.
    pub code: String,
    /// 一级事项 / 二级事项 above the item; at most two levels (the item is the third).
    pub category: Vec<String>,
    /// The item's own name: the deepest level of 公开事项.
    pub title: String,
    /// 公开内容（要素）, one element per entry.
    pub content: Vec<String>,
    /// 公开依据
    pub basis: String,
    pub time_limit: TimeLimit,
    /// 公开时限 as the catalogue words it.
    pub time_limit_text: String,
    /// 公开主体
    pub body: String,
    pub audience: Audience,
    pub mode: DisclosureMode,
    /// 公开层级, e.g. 县级, 乡级.
    pub levels: Vec<String>,
    pub channels: BTreeSet<Channel>,
    /// 需要政策解读
    pub needs_interpretation: bool,
    /// 需要佐证材料
    pub evidence_required: bool,
    /// Weight in thousandths of a point (exact arithmetic).
    pub weight_milli: u32,
    /// 单项否决
    pub veto: bool,
}

/// A problem with one field of one item, for error lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemProblem {
    /// Index of the item in the list.
    pub index: usize,
    /// The field, as named in [`Item`].
    pub field: &'static str,
    pub message: String,
    /// For a duplicate code: the index of the item that has it first.
    pub duplicate_of: Option<usize>,
}

impl fmt::Display for ItemProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub const MAX_TEXT: usize = 4000;

/// Checks what must hold for a version's items together: codes present and unique,
/// titles present, weights above zero, category depth, text sizes.
pub fn check_items(items: &[Item]) -> Vec<ItemProblem> {
    let mut problems = Vec::new();
    let mut first_row: HashMap<&str, usize> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        let duplicate_of = first_row.get(item.code.as_str()).copied();
        let mut problem = |field, message: String| {
            problems.push(ItemProblem {
                index,
                field,
                message,
                duplicate_of: if field == "code" { duplicate_of } else { None },
            })
        };
        if item.code.trim().is_empty() {
            problem("code", "序号不能为空".into());
        } else if duplicate_of.is_some() {
            problem("code", format!("序号 {} 重复", item.code));
        } else {
            first_row.insert(item.code.as_str(), index);
        }
        if item.title.trim().is_empty() {
            problem("title", "公开事项不能为空".into());
        }
        if item.category.len() > 2 {
            problem("category", "公开事项最多三级".into());
        }
        if item.weight_milli == 0 {
            problem("weight", "权重必须大于 0".into());
        }
        let long = [&item.basis, &item.body, &item.time_limit_text]
            .into_iter()
            .chain(&item.content)
            .any(|t| t.chars().count() > MAX_TEXT);
        if long {
            problem("content", format!("单元格文字过长（上限 {MAX_TEXT} 字）"));
        }
    }
    problems
}

/// Reads a weight written as points ("2", "1.5", "0.25"); up to three decimals.
pub fn parse_weight(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let bad = || format!("权重“{t}”应为大于 0 的数字（最多三位小数）");
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty() || t.starts_with('-') || frac.len() > 3 {
        return Err(if t.starts_with('-') {
            "权重必须大于 0".into()
        } else {
            bad()
        });
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac_value: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<3}").parse().map_err(|_| bad())?
    };
    let milli = whole
        .checked_mul(1000)
        .and_then(|w| w.checked_add(frac_value))
        .ok_or_else(bad)?;
    if milli == 0 {
        return Err("权重必须大于 0".into());
    }
    Ok(milli)
}

/// Writes thousandths of a point as the shortest decimal ("2", "1.5").
pub fn weight_text(milli: u32) -> String {
    let whole = milli / 1000;
    let frac = milli % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn item(code: &str, title: &str) -> Item {
        Item {
            code: code.into(),
            category: vec!["政策文件".into()],
            title: title.into(),
            content: vec!["文件全文".into()],
            basis: "《中华人民共和国政府信息公开条例》".into(),
            time_limit: TimeLimit::WorkingDays { days: 20 },
            time_limit_text: "自信息形成或者变更之日起20个工作日内".into(),
            body: "县级卫生健康行政部门".into(),
            audience: Audience::Public,
            mode: DisclosureMode::Proactive,
            levels: vec!["县级".into()],
            channels: [Channel::Website].into(),
            needs_interpretation: false,
            evidence_required: false,
            weight_milli: 1000,
            veto: false,
        }
    }

    #[test]
    fn duplicates_and_bad_weights_are_found() {
        let mut items = vec![
            item("0101", "规范性文件"),
            item("0102", "权责清单"),
            item("0101", "重复"),
        ];
        items[1].weight_milli = 0;
        let problems = check_items(&items);
        assert_eq!(problems.len(), 2);
        assert_eq!((problems[0].index, problems[0].field), (1, "weight"));
        assert_eq!((problems[1].index, problems[1].field), (2, "code"));
        assert_eq!(problems[1].duplicate_of, Some(0));
    }

    #[test]
    fn weights_are_exact_thousandths() {
        assert_eq!(parse_weight("2"), Ok(2000));
        assert_eq!(parse_weight("1.5"), Ok(1500));
        assert_eq!(parse_weight("0.125"), Ok(125));
        assert!(parse_weight("0").is_err());
        assert!(parse_weight("-1").is_err());
        assert!(parse_weight("1.2345").is_err());
        assert!(parse_weight("abc").is_err());
        for milli in [1, 125, 1500, 2000, 10_250] {
            assert_eq!(parse_weight(&weight_text(milli)), Ok(milli));
        }
    }
}
