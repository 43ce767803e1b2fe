//! Catalogues as files: import (xlsx as provinces publish them, csv, YAML), export to
//! xlsx in the same layout, the built-in catalogues, and storing versions.

pub mod builtin;
pub mod export;
pub mod import;
pub mod store;

use std::fmt;

/// Where in a file a problem is, and what it is. Every import error names its place:
/// sheet, row and column for spreadsheets; item and field for YAML.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportError {
    pub sheet: String,
    /// 1-based row of the sheet (or item number in YAML); `None` for the whole file.
    pub row: Option<u32>,
    /// Column letter (`G`) for spreadsheets, field name for YAML.
    pub column: Option<String>,
    /// The column's header, when there is one (公开渠道和载体).
    pub header: Option<String>,
    pub message: String,
}

impl ImportError {
    pub fn file(message: impl Into<String>) -> Self {
        Self {
            sheet: String::new(),
            row: None,
            column: None,
            header: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sheet == import::yaml::SHEET {
            match (&self.row, &self.column) {
                (Some(row), Some(field)) => write!(f, "第 {row} 项（{field}）：{}", self.message),
                (Some(row), None) => write!(f, "第 {row} 项：{}", self.message),
                _ => f.write_str(&self.message),
            }
        } else if self.sheet.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "工作表“{}”", self.sheet)?;
            if let Some(row) = self.row {
                write!(f, "第 {row} 行")?;
            }
            if let Some(column) = &self.column {
                write!(f, " {column} 列")?;
            }
            if let Some(header) = &self.header {
                write!(f, "（{header}）")?;
            }
            write!(f, "：{}", self.message)
        }
    }
}
