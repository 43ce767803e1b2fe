//! GB/T 2260 administrative division codes (行政区划代码) carried by health bureaus.

use std::fmt;

/// The level a 6-digit division code denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DivisionLevel {
    /// `xx0000`
    Province,
    /// `xxxx00`
    Prefecture,
    /// anything else
    County,
}

/// A syntactically valid 6-digit division code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DivisionCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DivisionCodeError {
    #[error("行政区划代码应为 6 位数字")]
    Malformed,
    #[error("行政区划代码 {0} 不是有效的省级代码（应以 0000 结尾）")]
    NotProvince(String),
    #[error("行政区划代码 {0} 不是有效的地市级代码（应以 00 结尾且不以 0000 结尾）")]
    NotPrefecture(String),
    #[error("行政区划代码 {0} 不是有效的县级代码（不应以 00 结尾）")]
    NotCounty(String),
    #[error("行政区划代码 {code} 与上级 {parent} 不一致（前 {digits} 位应相同）")]
    ParentMismatch {
        code: String,
        parent: String,
        digits: usize,
    },
}

impl DivisionCode {
    pub fn parse(raw: &str) -> Result<Self, DivisionCodeError> {
        let raw = raw.trim();
        if raw.len() != 6 || !raw.bytes().all(|b| b.is_ascii_digit()) || raw.starts_with("00") {
            return Err(DivisionCodeError::Malformed);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> DivisionLevel {
        if self.0.ends_with("0000") {
            DivisionLevel::Province
        } else if self.0.ends_with("00") {
            DivisionLevel::Prefecture
        } else {
            DivisionLevel::County
        }
    }

    /// The two leading digits: the province part of the code.
    pub fn province_prefix(&self) -> &str {
        &self.0[..2]
    }

    /// Checks that this code is at `level` and lies inside `parent`: a prefecture shares
    /// its province's first 2 digits, a county its prefecture's first 4 (or, for the
    /// counties a province administers directly, its province's first 2).
    pub fn check_under(
        &self,
        level: DivisionLevel,
        parent: Option<&DivisionCode>,
    ) -> Result<(), DivisionCodeError> {
        let actual = self.level();
        if actual != level {
            return Err(match level {
                DivisionLevel::Province => DivisionCodeError::NotProvince(self.0.clone()),
                DivisionLevel::Prefecture => DivisionCodeError::NotPrefecture(self.0.clone()),
                DivisionLevel::County => DivisionCodeError::NotCounty(self.0.clone()),
            });
        }
        if let Some(parent) = parent {
            let digits = match parent.level() {
                DivisionLevel::Province => 2,
                DivisionLevel::Prefecture => 4,
                DivisionLevel::County => 6,
            };
            if self.0[..digits] != parent.0[..digits] || self == parent {
                return Err(DivisionCodeError::ParentMismatch {
                    code: self.0.clone(),
                    parent: parent.0.clone(),
                    digits,
                });
            }
        }
        Ok(())
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    #[test]
    fn levels_follow_the_trailing_zeros() {
        assert_eq!(code("210000").level(), DivisionLevel::Province);
        assert_eq!(code("350400").level(), DivisionLevel::Prefecture);
        assert_eq!(code("140428").level(), DivisionLevel::County);
        assert_eq!(code("410108").level(), DivisionLevel::County);
    }

    #[test]
    fn malformed_codes_are_rejected() {
        for bad in ["", "21000", "2100000", "21a000", "000000", "２１００００"] {
            assert_eq!(
                DivisionCode::parse(bad),
                Err(DivisionCodeError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_city_must_share_its_provinces_first_two_digits() {
        let ln = code("210000");
        assert!(
            code("210100")
                .check_under(DivisionLevel::Prefecture, Some(&ln))
                .is_ok()
        );
        assert!(matches!(
            code("350400").check_under(DivisionLevel::Prefecture, Some(&ln)),
            Err(DivisionCodeError::ParentMismatch { digits: 2, .. })
        ));
    }

    #[test]
    fn a_county_must_share_its_citys_first_four_digits() {
        let shenyang = code("210100");
        assert!(
            code("210102")
                .check_under(DivisionLevel::County, Some(&shenyang))
                .is_ok()
        );
        assert!(matches!(
            code("210202").check_under(DivisionLevel::County, Some(&shenyang)),
            Err(DivisionCodeError::ParentMismatch { digits: 4, .. })
        ));
        // 济源市 419001 is administered directly by 河南省.
        assert!(
            code("419001")
                .check_under(DivisionLevel::County, Some(&code("410000")))
                .is_ok()
        );
    }

    #[test]
    fn the_level_must_match_the_kind() {
        assert_eq!(
            code("210100").check_under(DivisionLevel::County, Some(&code("210000"))),
            Err(DivisionCodeError::NotCounty("210100".into()))
        );
        assert_eq!(
            code("210102").check_under(DivisionLevel::Province, None),
            Err(DivisionCodeError::NotProvince("210102".into()))
        );
    }
}
