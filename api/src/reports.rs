//! Spreadsheets that offices pass around: a region comparison, a checklist with its
//! scores and reasons, a rectification list. Chinese headers, the header row frozen,
//! columns wide enough to read, numbers stored as numbers (so they sort and sum).

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use touming_domain::scoring::AssignmentScore;
use touming_store::entity::rectification;

use std::collections::HashMap;

use crate::comparison::{Comparison, Row};

fn head() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color("#F2F2F2")
}

fn text() -> Format {
    Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

fn number() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.000")
}

/// One cell of a row: text, a number, or nothing.
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Empty, Cell::Number)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Number(v)
    }
}

fn milli(v: impl Into<i64>) -> f64 {
    v.into() as f64 / 1000.0
}

/// A sheet: a frozen header row of `(title, width)` columns, then the rows.
fn sheet(
    workbook: &mut Workbook,
    name: &str,
    columns: &[(&str, f64)],
    rows: Vec<Vec<Cell>>,
) -> Result<(), XlsxError> {
    let ws: &mut Worksheet = workbook.add_worksheet();
    ws.set_name(name)?;
    let (head, text, number) = (head(), text(), number());
    for (c, (title, width)) in columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *title, &head)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, row) in rows.into_iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.into_iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string_with_format(r, c, s, &text)?,
                Cell::Number(v) => ws.write_number_with_format(r, c, v, &number)?,
                Cell::Empty => ws.write_blank(r, c, &text)?,
            };
        }
    }
    Ok(())
}

const COMPARISON_COLUMNS: &[(&str, f64)] = &[
    ("排名", 6.0),
    ("代码", 20.0),
    ("名称", 22.0),
    ("综合得分", 10.0),
    ("等级", 8.0),
    ("未提交按0分计得分", 12.0),
    ("按0分计排名", 8.0),
    ("应填报", 8.0),
    ("已提交", 8.0),
    ("已通过", 8.0),
    ("提交率(%)", 10.0),
    ("较上轮变化", 11.0),
    ("可比事项变化", 12.0),
    ("整改事项", 9.0),
    ("已销号", 8.0),
    ("逾期", 6.0),
    ("整改完成率(%)", 13.0),
];

/// Columns before the rectification ones, which only a published round has.
const UNPUBLISHED_COLUMNS: usize = 13;

/// The rows of `c`, each after the name of its region when `region` names one.
fn comparison_rows(c: &Comparison, region: Option<&dyn Fn(&Row) -> String>) -> Vec<Vec<Cell>> {
    c.rows
        .iter()
        .map(|r| {
            let f = &r.figure;
            let mut row: Vec<Cell> = Vec::new();
            if let Some(region) = region {
                row.push(region(r).into());
            }
            row.extend([
                r.rank.map(f64::from).into(),
                f.org.code.as_str().into(),
                f.org.name.as_str().into(),
                f.composite_milli.map(milli).into(),
                f.grade.map_or(Cell::Empty, |g| g.label().into()),
                f.strict_composite_milli.map(milli).into(),
                r.strict_rank.map(f64::from).into(),
                f64::from(f.coverage.expected).into(),
                f64::from(f.coverage.submitted).into(),
                f64::from(f.coverage.approved).into(),
                f.coverage_milli().map(milli).into(),
                r.change_milli.map(milli).into(),
                r.shared_change_milli.map(milli).into(),
            ]);
            if c.round.published_at.is_some() {
                let p = r.rectification;
                row.extend([
                    f64::from(p.total).into(),
                    f64::from(p.verified).into(),
                    f64::from(p.overdue).into(),
                    p.rate_milli().map(milli).into(),
                ]);
            }
            row
        })
        .collect()
}

/// The sheets of a comparison download.
pub struct ComparisonSheets<'a> {
    /// As the page shows it: its rows in its order.
    pub top: &'a Comparison,
    /// Each row's region, when the rows are not all directly below the parent (a
    /// province's counties): two 铁西区 are told apart by it.
    pub top_regions: Option<&'a HashMap<i64, String>>,
    /// When the rows are regions: each one's own children, on a sheet of their own.
    pub below: &'a [Comparison],
    /// Sheet names for the two levels.
    pub level_names: (&'a str, &'a str),
}

/// The comparison of `top`'s rows, their heat map and most failed items, and the level
/// below on a sheet of its own.
pub fn comparison_xlsx(sheets: ComparisonSheets<'_>) -> Result<Vec<u8>, XlsxError> {
    let ComparisonSheets {
        top,
        top_regions,
        below,
        level_names,
    } = sheets;
    let mut workbook = Workbook::new();
    let published = top.round.published_at.is_some();
    let columns = if published {
        COMPARISON_COLUMNS
    } else {
        &COMPARISON_COLUMNS[..UNPUBLISHED_COLUMNS]
    };
    let with_region = |first: &'static str| {
        let mut all = vec![(first, 14.0)];
        all.extend_from_slice(columns);
        all
    };
    match top_regions {
        Some(regions) => {
            let region = |r: &Row| {
                let parent = r.figure.org.parent_id.unwrap_or_default();
                regions.get(&parent).cloned().unwrap_or_default()
            };
            let rows = comparison_rows(top, Some(&region));
            sheet(&mut workbook, level_names.0, &with_region("所属市"), rows)?;
        }
        None => sheet(
            &mut workbook,
            level_names.0,
            columns,
            comparison_rows(top, None),
        )?,
    }
    if !below.is_empty() {
        let rows = below
            .iter()
            .flat_map(|c| {
                let parent = |_: &Row| c.parent.org.name.clone();
                comparison_rows(c, Some(&parent))
            })
            .collect();
        sheet(&mut workbook, level_names.1, &with_region("所属地区"), rows)?;
    }

    let mut heat_columns: Vec<(&str, f64)> = vec![("名称", 22.0)];
    heat_columns.extend(top.categories.iter().map(|c| (c.as_str(), 12.0)));
    let heat_rows = top
        .rows
        .iter()
        .map(|r| {
            let mut row: Vec<Cell> = vec![r.figure.org.name.as_str().into()];
            row.extend(top.categories.iter().map(|c| {
                r.figure
                    .tally
                    .categories
                    .get(c)
                    .and_then(|p| p.percent_milli())
                    .map(milli)
                    .into()
            }));
            row
        })
        .collect();
    sheet(&mut workbook, "分类得分率", &heat_columns, heat_rows)?;

    let failed = top
        .failed_items
        .iter()
        .map(|f| {
            vec![
                f.code.as_str().into(),
                f.title.as_str().into(),
                f.category.as_str().into(),
                f64::from(f.tally.checked).into(),
                f64::from(f.tally.short).into(),
                f.tally.points.percent_milli().map(milli).into(),
            ]
        })
        .collect();
    sheet(
        &mut workbook,
        "失分最多的事项",
        &[
            ("序号", 8.0),
            ("事项", 28.0),
            ("类别", 22.0),
            ("适用份数", 10.0),
            ("失分份数", 10.0),
            ("得分率(%)", 10.0),
        ],
        failed,
    )?;
    workbook.save_to_buffer()
}

/// A checklist's score: the summary on top, one row per item with its reason.
pub fn assignment_xlsx(title: &str, score: &AssignmentScore) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let rows = score
        .items
        .iter()
        .map(|i| {
            vec![
                i.code.as_str().into(),
                i.category.as_str().into(),
                i.title.as_str().into(),
                if i.applicable {
                    "是"
                } else {
                    "否（不适用）"
                }
                .into(),
                if i.applicable {
                    milli(i.points_milli).into()
                } else {
                    Cell::Empty
                },
                milli(i.weight_milli).into(),
                if i.veto_failed { "是" } else { "" }.into(),
                i.explanation.as_str().into(),
            ]
        })
        .collect();
    sheet(
        &mut workbook,
        "逐项得分",
        &[
            ("序号", 8.0),
            ("类别", 18.0),
            ("事项", 24.0),
            ("适用", 10.0),
            ("得分", 8.0),
            ("满分", 8.0),
            ("单项否决", 9.0),
            ("评分说明", 60.0),
        ],
        rows,
    )?;
    let mut summary: Vec<Vec<Cell>> = vec![
        vec!["填报表".into(), title.into()],
        vec!["得分".into(), (score.total_milli as f64 / 1000.0).into()],
        vec!["满分".into(), (score.max_milli as f64 / 1000.0).into()],
        vec!["得分率(%)".into(), milli(score.percent_milli).into()],
        vec!["等级".into(), score.grade.label().into()],
        vec![
            "单项否决".into(),
            if score.veto_failed { "是" } else { "否" }.into(),
        ],
    ];
    for c in &score.categories {
        summary.push(vec![
            format!("类别：{}", c.name).into(),
            (c.points_milli as f64 / 1000.0).into(),
        ]);
    }
    sheet(
        &mut workbook,
        "汇总",
        &[("项目", 18.0), ("数值", 40.0)],
        summary,
    )?;
    workbook.save_to_buffer()
}

/// A rectification list, one row per entry, with the owner's name and code.
/// A rectification entry as its list shows it.
pub struct RectificationRow {
    pub entry: rectification::Model,
    pub owner_name: String,
    pub owner_code: String,
    pub evidence: Vec<String>,
}

pub fn rectifications_xlsx(
    entries: &[RectificationRow],
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let rows = entries
        .iter()
        .map(|row| {
            let (e, owner, code, evidence) =
                (&row.entry, &row.owner_name, &row.owner_code, &row.evidence);
            let status = *e.status;
            vec![
                owner.as_str().into(),
                code.as_str().into(),
                e.item_code.as_str().into(),
                e.item_title.as_str().into(),
                e.category.as_str().into(),
                milli(e.points_milli).into(),
                milli(e.max_milli).into(),
                e.finding.as_str().into(),
                e.deadline.to_string().into(),
                status.label().into(),
                if status.is_overdue(e.deadline, today) {
                    "是"
                } else {
                    ""
                }
                .into(),
                e.fix_note.clone().unwrap_or_default().into(),
                evidence.join("\n").into(),
                e.review_comment.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    sheet(
        &mut workbook,
        "整改清单",
        &[
            ("责任单位", 20.0),
            ("单位代码", 20.0),
            ("序号", 8.0),
            ("事项", 22.0),
            ("类别", 16.0),
            ("得分", 8.0),
            ("满分", 8.0),
            ("存在问题", 50.0),
            ("整改期限", 12.0),
            ("状态", 10.0),
            ("逾期", 6.0),
            ("整改情况", 30.0),
            ("整改佐证", 36.0),
            ("核验意见", 24.0),
        ],
        rows,
    )?;
    workbook.save_to_buffer()
}
