//! CSV: the same columns as the spreadsheet (one or two header rows), in UTF-8 with or
//! without a byte-order mark. Other encodings get a clear error saying how to re-save.

use super::{ImportError, Sheet};

pub fn read(bytes: &[u8]) -> Result<Sheet, Vec<ImportError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| {
        vec![ImportError::file(
            "CSV 文件不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
        )]
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            vec![ImportError {
                sheet: "CSV".into(),
                row: Some(i as u32 + 1),
                column: None,
                header: None,
                message: format!("无法读取：{e}"),
            }]
        })?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(Sheet {
        name: "CSV".into(),
        rows,
    })
}
