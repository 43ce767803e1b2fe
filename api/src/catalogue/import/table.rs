//! The published table layout, from a grid: find the header (one or two rows, below
//! any title rows), give each column its meaning, read every row into an item.

use std::collections::BTreeSet;

use touming_domain::catalogue::{
    Audience, Channel, DisclosureMode, Item, TimeLimit, check_items, parse_channel_label,
    parse_weight,
};

use super::{ImportError, Sheet, column_letter};

#[derive(Debug, Clone, PartialEq)]
enum Column {
    Code,
    /// 一级/二级/三级事项 (0, 1, 2)
    Level(usize),
    Content,
    Basis,
    TimeLimitText,
    Body,
    Channels,
    AudienceMark(Audience),
    AudienceText,
    ModeMark(DisclosureMode),
    ModeText,
    LevelMark(String),
    LevelText,
    Weight,
    Veto,
    Interpretation,
    Evidence,
    RuleCode,
    Ignored,
}

/// Header text without spaces, line breaks or full-width brackets.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

fn level_index(label: &str) -> Option<usize> {
    ["一级事项", "二级事项", "三级事项"]
        .iter()
        .position(|l| *l == label)
}

const ADMIN_LEVELS: &[&str] = &["省级", "市级", "县级", "区级", "乡级", "街镇级", "村级"];

/// What a column is, from its top header and (for grouped columns) its sub-header.
fn classify(top: &str, sub: Option<&str>) -> Option<Column> {
    let sub = sub.filter(|s| !s.is_empty() && *s != top);
    if let Some(sub) = sub {
        if let Some(i) = level_index(sub) {
            return Some(Column::Level(i));
        }
        match top {
            "公开对象" => return Audience::from_label(sub).map(Column::AudienceMark),
            "公开方式" => return DisclosureMode::from_label(sub).map(Column::ModeMark),
            "公开层级" => return Some(Column::LevelMark(sub.to_owned())),
            _ => {}
        }
    }
    if let Some(i) = level_index(top) {
        return Some(Column::Level(i));
    }
    Some(match top {
        "序号" | "编号" | "事项编码" => Column::Code,
        "公开事项" | "事项名称" => Column::Level(0),
        t if t.starts_with("公开内容") => Column::Content,
        "公开依据" => Column::Basis,
        "公开时限" => Column::TimeLimitText,
        "公开主体" => Column::Body,
        t if t.starts_with("公开渠道") => Column::Channels,
        "公开对象" => Column::AudienceText,
        "公开方式" => Column::ModeText,
        "公开层级" => Column::LevelText,
        "权重" | "分值" => Column::Weight,
        "单项否决" | "否决项" => Column::Veto,
        "需要解读" | "政策解读" => Column::Interpretation,
        "需要佐证" | "佐证材料" => Column::Evidence,
        "时限规则" => Column::RuleCode,
        "备注" | "" => Column::Ignored,
        _ => return None,
    })
}

struct Layout {
    data_start: usize,
    columns: Vec<(usize, Column, String)>,
}

fn find_layout(sheet: &Sheet) -> Option<Result<Layout, Vec<ImportError>>> {
    let header_row = (0..sheet.rows.len().min(20))
        .find(|&r| (0..sheet.width()).any(|c| norm(sheet.cell(r, c)) == "序号"))?;
    let sub_row = header_row + 1;
    // A sub-header row has nothing of its own under 序号 (at most the merged 序号 itself);
    // a first data row has its code there.
    let code_col = (0..sheet.width())
        .find(|&c| norm(sheet.cell(header_row, c)) == "序号")
        .unwrap_or(0);
    let under_code = norm(sheet.cell(sub_row, code_col));
    let has_sub = (under_code.is_empty() || under_code == "序号")
        && (0..sheet.width()).any(|c| {
            let s = norm(sheet.cell(sub_row, c));
            level_index(&s).is_some()
                || Audience::from_label(&s).is_some()
                || DisclosureMode::from_label(&s).is_some()
                || ADMIN_LEVELS.contains(&s.as_str())
        });
    let mut columns = Vec::new();
    let mut errors = Vec::new();
    for c in 0..sheet.width() {
        let top = norm(sheet.cell(header_row, c));
        let sub = has_sub.then(|| norm(sheet.cell(sub_row, c)));
        let header = match &sub {
            Some(s) if !s.is_empty() && *s != top => format!("{top}·{s}"),
            _ => top.clone(),
        };
        match classify(&top, sub.as_deref()) {
            Some(column) => columns.push((c, column, header)),
            None => errors.push(ImportError {
                sheet: sheet.name.clone(),
                row: Some(header_row as u32 + 1),
                column: Some(column_letter(c)),
                header: None,
                message: format!("无法识别的表头“{header}”"),
            }),
        }
    }
    let has = |f: &dyn Fn(&Column) -> bool| columns.iter().any(|(_, col, _)| f(col));
    for (present, name) in [
        (has(&|c| *c == Column::Code), "序号"),
        (has(&|c| matches!(c, Column::Level(_))), "公开事项"),
        (
            has(&|c| matches!(c, Column::TimeLimitText | Column::RuleCode)),
            "公开时限",
        ),
        (has(&|c| *c == Column::Channels), "公开渠道和载体"),
    ] {
        if !present {
            errors.push(ImportError {
                sheet: sheet.name.clone(),
                row: Some(header_row as u32 + 1),
                column: None,
                header: None,
                message: format!("缺少“{name}”列"),
            });
        }
    }
    Some(if errors.is_empty() {
        Ok(Layout {
            data_start: if has_sub { sub_row + 1 } else { sub_row },
            columns,
        })
    } else {
        Err(errors)
    })
}

fn checked(cell: &str) -> bool {
    let t = cell.trim();
    !t.is_empty() && ["√", "✓", "✔", "■", "☑", "●", "是", "Y", "y", "1", "x", "X"].contains(&t)
}

fn yes_no(cell: &str) -> Result<bool, String> {
    match cell.trim() {
        "" | "否" | "□" | "N" | "n" | "0" | "false" | "FALSE" => Ok(false),
        t if checked(t) || t == "true" || t == "TRUE" => Ok(true),
        t => Err(format!("“{t}”应为“是”或“否”")),
    }
}

const BOXES_CHECKED: &[char] = &['■', '☑', '√', '✓', '✔', '●'];
const BOXES_EMPTY: &[char] = &['□', '☐', '○'];

/// "■政府网站 □政府公报 ■两微一端" (one cell, boxes before labels) or a plain list
/// "政府网站、两微一端".
fn channels(cell: &str) -> Result<BTreeSet<Channel>, String> {
    let mut found = BTreeSet::new();
    let mut unknown = Vec::new();
    let boxed = cell
        .chars()
        .any(|c| BOXES_CHECKED.contains(&c) || BOXES_EMPTY.contains(&c));
    if boxed {
        let mut current: Option<(bool, String)> = None;
        let mut flush = |entry: Option<(bool, String)>| {
            if let Some((on, label)) = entry
                && !label.trim().is_empty()
            {
                match parse_channel_label(label.trim()) {
                    Ok(channel) if on => {
                        found.insert(channel);
                    }
                    Ok(_) => {}
                    Err(_) => unknown.push(label.trim().to_owned()),
                }
            }
        };
        for c in cell.chars() {
            if BOXES_CHECKED.contains(&c) || BOXES_EMPTY.contains(&c) {
                flush(current.take());
                current = Some((BOXES_CHECKED.contains(&c), String::new()));
            } else if let Some((_, label)) = current.as_mut()
                && c != '\n'
                && c != '\r'
            {
                label.push(c);
            }
        }
        flush(current.take());
    } else {
        for label in cell
            .split(['、', '，', ',', '；', ';', '\n', ' '])
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            match parse_channel_label(label) {
                Ok(channel) => {
                    found.insert(channel);
                }
                Err(_) => unknown.push(label.to_owned()),
            }
        }
    }
    if !unknown.is_empty() {
        return Err(format!("未知的公开渠道“{}”", unknown.join("”“")));
    }
    Ok(found)
}

fn lines(cell: &str) -> Vec<String> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Reads every sheet that has a header; item codes must be unique across them.
pub fn parse_sheets(sheets: &[Sheet]) -> Result<Vec<Item>, Vec<ImportError>> {
    let mut items = Vec::new();
    let mut places = Vec::new();
    let mut errors = Vec::new();
    let mut any_header = false;
    for sheet in sheets {
        let layout = match find_layout(sheet) {
            None => continue,
            Some(Err(e)) => {
                any_header = true;
                errors.extend(e);
                continue;
            }
            Some(Ok(layout)) => layout,
        };
        any_header = true;
        for r in layout.data_start..sheet.rows.len() {
            match parse_row(sheet, &layout, r) {
                RowOutcome::Blank => {}
                RowOutcome::Item(item) => {
                    items.push(*item);
                    places.push((sheet.name.clone(), r, layout.columns.clone()));
                }
                RowOutcome::Errors(e) => errors.extend(e),
            }
        }
    }
    if !any_header {
        errors.push(ImportError::file("找不到表头：应有一行以“序号”开头的列名"));
    } else if items.is_empty() && errors.is_empty() {
        errors.push(ImportError::file("文件中没有任何事项"));
    }
    for problem in check_items(&items) {
        let (sheet, r, columns) = &places[problem.index];
        let wanted = match problem.field {
            "code" => Some(Column::Code),
            "weight" => Some(Column::Weight),
            "content" => Some(Column::Content),
            _ => None,
        };
        let column = columns.iter().find(|(_, c, _)| Some(c) == wanted.as_ref());
        errors.push(ImportError {
            sheet: sheet.clone(),
            row: Some(*r as u32 + 1),
            column: column.map(|(c, _, _)| column_letter(*c)),
            header: column.map(|(_, _, h)| h.clone()),
            message: match problem.duplicate_of {
                Some(first) => format!("{}，与第 {} 行相同", problem.message, places[first].1 + 1),
                None => problem.message.clone(),
            },
        });
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

enum RowOutcome {
    Blank,
    Item(Box<Item>),
    Errors(Vec<ImportError>),
}

fn parse_row(sheet: &Sheet, layout: &Layout, r: usize) -> RowOutcome {
    let mut errors = Vec::new();
    let at = |c: usize, header: &str, message: String| ImportError {
        sheet: sheet.name.clone(),
        row: Some(r as u32 + 1),
        column: Some(column_letter(c)),
        header: Some(header.to_owned()),
        message,
    };
    let filled: Vec<&(usize, Column, String)> = layout
        .columns
        .iter()
        .filter(|(c, col, _)| *col != Column::Ignored && !sheet.cell(r, *c).trim().is_empty())
        .collect();
    // Merged category cells reach into otherwise empty rows; a row is blank when it has
    // no code and nothing but category text. A closing note (注：…) is not an item either.
    let substantive = filled
        .iter()
        .any(|(_, col, _)| !matches!(col, Column::Level(_)));
    let first = sheet
        .rows
        .get(r)
        .and_then(|row| row.iter().find(|c| !c.trim().is_empty()));
    if !substantive || first.is_some_and(|t| t.trim_start().starts_with("注")) {
        return RowOutcome::Blank;
    }
    let mut code = String::new();
    let mut levels: [String; 3] = Default::default();
    let mut content = Vec::new();
    let mut basis = String::new();
    let mut time_text: Option<(usize, String, String)> = None;
    let mut rule: Option<(usize, String, String)> = None;
    let mut body = String::new();
    let mut found_channels = BTreeSet::new();
    let mut audiences = Vec::new();
    let mut modes = Vec::new();
    let mut admin_levels = Vec::new();
    let mut weight_milli = 1000;
    let (mut veto, mut interpretation, mut evidence) = (false, false, false);
    let mut audience_col = None;
    let mut mode_col = None;
    for (c, column, header) in &layout.columns {
        let cell = sheet.cell(r, *c);
        let t = cell.trim();
        match column {
            Column::Code => code = t.to_owned(),
            Column::Level(i) => levels[*i] = t.to_owned(),
            Column::Content => content = lines(cell),
            Column::Basis => basis = t.to_owned(),
            Column::TimeLimitText => time_text = Some((*c, header.clone(), t.to_owned())),
            Column::RuleCode if !t.is_empty() => rule = Some((*c, header.clone(), t.to_owned())),
            Column::RuleCode => {}
            Column::Body => body = t.to_owned(),
            Column::Channels => match channels(cell) {
                Ok(set) => found_channels = set,
                Err(message) => errors.push(at(*c, header, message)),
            },
            Column::AudienceMark(a) => {
                audience_col.get_or_insert((*c, header.clone()));
                if checked(t) {
                    audiences.push(*a);
                }
            }
            Column::AudienceText => {
                audience_col.get_or_insert((*c, header.clone()));
                audiences.extend(t.split(['、', '/', ',']).filter_map(Audience::from_label));
            }
            Column::ModeMark(m) => {
                mode_col.get_or_insert((*c, header.clone()));
                if checked(t) {
                    modes.push(*m);
                }
            }
            Column::ModeText => {
                mode_col.get_or_insert((*c, header.clone()));
                modes.extend(
                    t.split(['、', '/', ','])
                        .filter_map(DisclosureMode::from_label),
                );
            }
            Column::LevelMark(label) => {
                if checked(t) {
                    admin_levels.push(label.clone());
                }
            }
            Column::LevelText => admin_levels.extend(
                t.split(['、', '/', ',', ' '])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            Column::Weight if !t.is_empty() => match parse_weight(t) {
                Ok(w) => weight_milli = w,
                Err(message) => errors.push(at(*c, header, message)),
            },
            Column::Weight => {}
            Column::Veto | Column::Interpretation | Column::Evidence => match yes_no(t) {
                Ok(v) => match column {
                    Column::Veto => veto = v,
                    Column::Interpretation => interpretation = v,
                    _ => evidence = v,
                },
                Err(message) => errors.push(at(*c, header, message)),
            },
            Column::Ignored => {}
        }
    }
    let time_limit = match (&rule, &time_text) {
        (Some((c, header, code)), _) => {
            TimeLimit::from_code(code).map_err(|e| at(*c, header, e.to_string()))
        }
        (None, Some((c, header, text))) => {
            TimeLimit::from_wording(text).map_err(|e| at(*c, header, e.to_string()))
        }
        (None, None) => Ok(TimeLimit::None),
    };
    let time_limit = time_limit.unwrap_or_else(|e| {
        errors.push(e);
        TimeLimit::None
    });
    let audience = if audiences.contains(&Audience::Public) {
        Some(Audience::Public)
    } else {
        audiences.first().copied()
    };
    let audience = audience.unwrap_or_else(|| {
        if let Some((c, header)) = &audience_col {
            errors.push(at(*c, header, "公开对象未勾选（全社会或特定群体）".into()));
        }
        Audience::Public
    });
    let mode = if modes.contains(&DisclosureMode::Proactive) {
        Some(DisclosureMode::Proactive)
    } else {
        modes.first().copied()
    };
    let mode = mode.unwrap_or_else(|| {
        if let Some((c, header)) = &mode_col {
            errors.push(at(*c, header, "公开方式未勾选（主动或依申请）".into()));
        }
        DisclosureMode::Proactive
    });
    let mut path: Vec<String> = levels.into_iter().filter(|l| !l.is_empty()).collect();
    // A merged 一级事项 repeated as 二级 (single-level rows) is one level.
    path.dedup();
    let title = path.pop().unwrap_or_default();
    if !errors.is_empty() {
        return RowOutcome::Errors(errors);
    }
    RowOutcome::Item(Box::new(Item {
        code,
        category: path,
        title,
        content,
        basis,
        time_limit_text: time_text
            .map(|(_, _, t)| t)
            .unwrap_or_else(|| time_limit.to_string()),
        time_limit,
        body,
        audience,
        mode,
        levels: admin_levels,
        channels: found_channels,
        needs_interpretation: interpretation,
        evidence_required: evidence,
        weight_milli,
        veto,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_cells_with_boxes_or_lists() {
        assert_eq!(
            channels("■政府网站\n□政府公报\n■两微一端\n□发布会/听证会"),
            Ok([Channel::Website, Channel::NewMedia].into())
        );
        assert_eq!(
            channels("政府网站、公开查阅点"),
            Ok([Channel::Website, Channel::ReadingPoint].into())
        );
        assert!(
            channels("■政府网站 ■飞鸽传书")
                .unwrap_err()
                .contains("飞鸽传书")
        );
        assert_eq!(channels(""), Ok(BTreeSet::new()));
    }
}
