//! Reading a catalogue file into items. A file with any error yields every error and
//! no items: nothing is saved from a broken file.

pub mod csv;
mod grid;
mod table;
pub mod xlsx;
pub mod yaml;

use touming_domain::OrgKind;
use touming_domain::catalogue::Item;

pub use grid::{Sheet, column_letter};

use super::ImportError;

/// Larger files are refused before they are read.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
    Yaml,
}

/// What a file says about its catalogue; spreadsheets carry only items.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub code: Option<String>,
    pub title: Option<String>,
    pub applies_to: Vec<OrgKind>,
    pub items: Vec<Item>,
}

pub fn parse(format: Format, bytes: &[u8]) -> Result<Parsed, Vec<ImportError>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(vec![ImportError::file(format!(
            "文件过大（{:.1} MB），上限为 10 MB",
            bytes.len() as f64 / 1024.0 / 1024.0
        ))]);
    }
    if bytes.is_empty() {
        return Err(vec![ImportError::file("文件为空")]);
    }
    match format {
        Format::Yaml => yaml::parse(bytes),
        Format::Csv => items_only(table::parse_sheets(&[csv::read(bytes)?])),
        Format::Xlsx => items_only(table::parse_sheets(&xlsx::read(bytes)?)),
    }
}

fn items_only(items: Result<Vec<Item>, Vec<ImportError>>) -> Result<Parsed, Vec<ImportError>> {
    Ok(Parsed {
        code: None,
        title: None,
        applies_to: Vec::new(),
        items: items?,
    })
}
