//! xlsx as provinces publish it: title rows, merged header and category cells,
//! line breaks inside cells. Formula cells are refused (their cached values may be
//! stale, and a catalogue is text).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use super::{ImportError, Sheet, column_letter};

fn text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

pub fn read(bytes: &[u8]) -> Result<Vec<Sheet>, Vec<ImportError>> {
    let unreadable =
        |e: calamine::XlsxError| vec![ImportError::file(format!("无法读取 xlsx 文件：{e}"))];
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let mut sheets = Vec::new();
    let mut errors = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(unreadable)?;
        let Some((end_row, end_col)) = range.end() else {
            continue;
        };
        let mut rows = vec![vec![String::new(); end_col as usize + 1]; end_row as usize + 1];
        for (r, c, data) in range.used_cells() {
            let (start_row, start_col) = range.start().unwrap_or((0, 0));
            rows[start_row as usize + r][start_col as usize + c] = text(data);
        }
        let formulas = workbook.worksheet_formula(&name).map_err(unreadable)?;
        let formula_start = formulas.start().unwrap_or((0, 0));
        for (r, c, formula) in formulas.used_cells() {
            if !formula.is_empty() {
                errors.push(ImportError {
                    sheet: name.clone(),
                    row: Some(formula_start.0 + r as u32 + 1),
                    column: Some(column_letter(formula_start.1 as usize + c)),
                    header: None,
                    message: format!("单元格含公式（={formula}），请复制后“粘贴为数值”再导入"),
                });
            }
        }
        for merge in workbook
            .merge_cells_by_sheet_name(&name)
            .map_err(unreadable)?
        {
            let (r0, c0) = (merge.start.0 as usize, merge.start.1 as usize);
            let value = rows
                .get(r0)
                .and_then(|r| r.get(c0))
                .cloned()
                .unwrap_or_default();
            for row in rows.iter_mut().take(merge.end.0 as usize + 1).skip(r0) {
                for cell in row.iter_mut().take(merge.end.1 as usize + 1).skip(c0) {
                    cell.clone_from(&value);
                }
            }
        }
        sheets.push(Sheet { name, rows });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(sheets)
}
