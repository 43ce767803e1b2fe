//! Catalogue spreadsheets laid out the way provinces publish them, for import tests:
//! a title row, a two-row header with merged groups, 一级事项 merged down its rows,
//! ■/□ channel boxes in one cell, √ marks, line breaks inside cells.

use rust_xlsxwriter::{Format, Workbook};

/// One row of a published catalogue.
pub struct Row {
    pub code: &'static str,
    pub first: &'static str,
    pub second: &'static str,
    pub content: &'static str,
    pub time_limit: &'static str,
    pub channels: &'static str,
    pub public: bool,
    pub proactive: bool,
    /// A formula cell in the content column (refused on import).
    pub formula: bool,
}

impl Row {
    pub const fn new(
        code: &'static str,
        first: &'static str,
        second: &'static str,
        time_limit: &'static str,
    ) -> Row {
        Row {
            code,
            first,
            second,
            content: "文件标题、文号\n文件全文",
            time_limit,
            channels: "■政府网站\n□政府公报\n■两微一端\n□发布会/听证会",
            public: true,
            proactive: true,
            formula: false,
        }
    }
}

pub const HEADER_ROWS: u32 = 3;

/// The workbook; data rows start at spreadsheet row 4 (index 3).
pub fn published_style(sheet_name: &str, rows: &[Row]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name).unwrap();
    let plain = Format::new().set_text_wrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            13,
            "辽宁省卫生健康领域基层政务公开标准目录（2025年版）",
            &plain,
        )
        .unwrap();
    for (col, title) in [
        (0, "序号"),
        (3, "公开内容（要素）"),
        (4, "公开依据"),
        (5, "公开时限"),
        (6, "公开主体"),
        (7, "公开渠道和载体"),
    ] {
        sheet.merge_range(1, col, 2, col, title, &plain).unwrap();
    }
    for (from, to, title) in [
        (1, 2, "公开事项"),
        (8, 9, "公开对象"),
        (10, 11, "公开方式"),
        (12, 13, "公开层级"),
    ] {
        sheet.merge_range(1, from, 1, to, title, &plain).unwrap();
    }
    for (col, sub) in [
        (1, "一级事项"),
        (2, "二级事项"),
        (8, "全社会"),
        (9, "特定群体"),
        (10, "主动"),
        (11, "依申请"),
        (12, "县级"),
        (13, "乡级"),
    ] {
        sheet.write_string(2, col, sub).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let r = HEADER_ROWS + i as u32;
        sheet.write_string(r, 0, row.code).unwrap();
        sheet.write_string(r, 2, row.second).unwrap();
        if row.formula {
            sheet
                .write_formula(r, 3, "=CONCATENATE(\"文件\",\"全文\")")
                .unwrap();
        } else {
            sheet
                .write_string_with_format(r, 3, row.content, &plain)
                .unwrap();
        }
        sheet
            .write_string(r, 4, "《中华人民共和国政府信息公开条例》")
            .unwrap();
        sheet.write_string(r, 5, row.time_limit).unwrap();
        sheet.write_string(r, 6, "县级卫生健康行政部门").unwrap();
        sheet
            .write_string_with_format(r, 7, row.channels, &plain)
            .unwrap();
        sheet
            .write_string(r, if row.public { 8 } else { 9 }, "√")
            .unwrap();
        sheet
            .write_string(r, if row.proactive { 10 } else { 11 }, "√")
            .unwrap();
        sheet.write_string(r, 12, "√").unwrap();
    }
    // 一级事项 merged down the rows that share it.
    let mut start = 0;
    while start < rows.len() {
        let run = rows[start..]
            .iter()
            .take_while(|r| r.first == rows[start].first)
            .count();
        let (r0, r1) = (
            HEADER_ROWS + start as u32,
            HEADER_ROWS + (start + run - 1) as u32,
        );
        if run > 1 {
            sheet
                .merge_range(r0, 1, r1, 1, rows[start].first, &plain)
                .unwrap();
        } else {
            sheet.write_string(r0, 1, rows[start].first).unwrap();
        }
        start += run;
    }
    sheet
        .write_string(
            HEADER_ROWS + rows.len() as u32 + 1,
            0,
            "注：本目录由省卫生健康委制定。",
        )
        .unwrap();
    workbook.save_to_buffer().unwrap()
}
