//! A catalogue version as an xlsx in the published layout: a title row, a two-row
//! header with merged groups, 一级事项 merged down the rows it spans, ■/□ channel boxes,
//! √ marks — plus Touming's own columns (权重, 单项否决, 需要解读, 需要佐证, 时限规则) so
//! that importing the file again gives the same items.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use touming_domain::catalogue::{Audience, Channel, DisclosureMode, Item, weight_text};

const ADMIN_LEVEL_ORDER: &[&str] = &["省级", "市级", "县级", "区级", "乡级", "街镇级", "村级"];

/// The 公开层级 sub-columns: every level any item uses, in administrative order.
fn level_columns(items: &[Item]) -> Vec<String> {
    let mut levels: Vec<String> = Vec::new();
    for item in items {
        for level in &item.levels {
            if !levels.contains(level) {
                levels.push(level.clone());
            }
        }
    }
    let rank = |l: &String| {
        ADMIN_LEVEL_ORDER
            .iter()
            .position(|o| o == l)
            .unwrap_or(usize::MAX)
    };
    levels.sort_by_key(rank);
    if levels.is_empty() {
        levels.push("县级".into());
    }
    levels
}

fn mark(on: bool) -> &'static str {
    if on { "√" } else { "" }
}

fn yes_no(on: bool) -> &'static str {
    if on { "是" } else { "否" }
}

pub fn to_xlsx(title: &str, items: &[Item]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("标准目录")?;
    write(sheet, title, items)?;
    workbook.save_to_buffer()
}

fn write(sheet: &mut Worksheet, title: &str, items: &[Item]) -> Result<(), XlsxError> {
    let levels = level_columns(items);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#F2F2F2");
    let cell = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let centered = cell.clone().set_align(FormatAlign::Center);
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);

    // Column plan: (top header, sub header, width).
    let mut columns: Vec<(&str, String, f64)> = vec![
        ("序号", String::new(), 7.0),
        ("公开事项", "一级事项".into(), 14.0),
        ("公开事项", "二级事项".into(), 18.0),
        ("公开事项", "三级事项".into(), 16.0),
        ("公开内容（要素）", String::new(), 36.0),
        ("公开依据", String::new(), 30.0),
        ("公开时限", String::new(), 20.0),
        ("公开主体", String::new(), 16.0),
        ("公开渠道和载体", String::new(), 28.0),
        ("公开对象", "全社会".into(), 7.0),
        ("公开对象", "特定群体".into(), 7.0),
        ("公开方式", "主动".into(), 6.0),
        ("公开方式", "依申请".into(), 7.0),
    ];
    for level in &levels {
        columns.push(("公开层级", level.clone(), 6.0));
    }
    for (top, width) in [
        ("权重", 6.0),
        ("单项否决", 7.0),
        ("需要解读", 7.0),
        ("需要佐证", 7.0),
        ("时限规则", 14.0),
    ] {
        columns.push((top, String::new(), width));
    }
    let last_col = (columns.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last_col, title, &title_format)?;
    sheet.set_row_height(0, 32)?;

    // Header rows 1–2: groups merged across, single columns merged down.
    let mut c = 0;
    while c < columns.len() {
        let (top, sub, width) = &columns[c];
        sheet.set_column_width(c as u16, *width)?;
        if sub.is_empty() {
            sheet.merge_range(1, c as u16, 2, c as u16, top, &head)?;
            c += 1;
            continue;
        }
        let span = columns[c..]
            .iter()
            .take_while(|(t, s, _)| t == top && !s.is_empty())
            .count();
        if span > 1 {
            sheet.merge_range(1, c as u16, 1, (c + span - 1) as u16, top, &head)?;
        } else {
            sheet.write_string_with_format(1, c as u16, *top, &head)?;
        }
        for (i, (_, sub, width)) in columns[c..c + span].iter().enumerate() {
            sheet.set_column_width((c + i) as u16, *width)?;
            sheet.write_string_with_format(2, (c + i) as u16, sub, &head)?;
        }
        c += span;
    }
    sheet.set_freeze_panes(3, 0)?;

    let first_data = 3u32;
    for (i, item) in items.iter().enumerate() {
        let r = first_data + i as u32;
        let mut path: Vec<&str> = item.category.iter().map(String::as_str).collect();
        path.push(&item.title);
        let channels: Vec<String> = Channel::ALL
            .iter()
            .map(|ch| {
                format!(
                    "{}{}",
                    if item.channels.contains(ch) {
                        "■"
                    } else {
                        "□"
                    },
                    ch.label()
                )
            })
            .collect();
        let mut values: Vec<(String, &Format)> = vec![
            (item.code.clone(), &centered),
            (
                path.first().map(|s| s.to_string()).unwrap_or_default(),
                &cell,
            ),
            (
                path.get(1).map(|s| s.to_string()).unwrap_or_default(),
                &cell,
            ),
            (
                path.get(2).map(|s| s.to_string()).unwrap_or_default(),
                &cell,
            ),
            (item.content.join("\n"), &cell),
            (item.basis.clone(), &cell),
            (item.time_limit_text.clone(), &cell),
            (item.body.clone(), &cell),
            (channels.join("\n"), &cell),
            (mark(item.audience == Audience::Public).into(), &centered),
            (mark(item.audience == Audience::Specific).into(), &centered),
            (
                mark(item.mode == DisclosureMode::Proactive).into(),
                &centered,
            ),
            (
                mark(item.mode == DisclosureMode::OnApplication).into(),
                &centered,
            ),
        ];
        for level in &levels {
            values.push((mark(item.levels.contains(level)).into(), &centered));
        }
        let weight_col = values.len();
        values.push((weight_text(item.weight_milli), &centered));
        values.push((yes_no(item.veto).into(), &centered));
        values.push((yes_no(item.needs_interpretation).into(), &centered));
        values.push((yes_no(item.evidence_required).into(), &centered));
        values.push((item.time_limit.code(), &cell));
        for (col, (value, format)) in values.iter().enumerate() {
            if col == weight_col {
                // Stored as a number so that it sums in Excel.
                sheet.write_number_with_format(
                    r,
                    col as u16,
                    item.weight_milli as f64 / 1000.0,
                    format,
                )?;
            } else {
                sheet.write_string_with_format(r, col as u16, value, format)?;
            }
        }
    }

    // 一级事项 merged down the rows that share it, as published catalogues do.
    let mut start = 0;
    while start < items.len() {
        let first = items[start].category.first();
        let run = items[start..]
            .iter()
            .take_while(|i| i.category.first() == first)
            .count();
        if let Some(name) = first
            && run > 1
        {
            let (r0, r1) = (
                first_data + start as u32,
                first_data + (start + run - 1) as u32,
            );
            sheet.merge_range(r0, 1, r1, 1, name, &cell)?;
        }
        start += run;
    }
    Ok(())
}
