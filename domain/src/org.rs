//! Organisations and their place in the one tree: province → city → county →
//! institution, with institutions also allowed directly under a city or a province.

use std::fmt;
use std::str::FromStr;

use crate::credit_code::{CreditCode, CreditCodeError};
use crate::division_code::{DivisionCode, DivisionCodeError, DivisionLevel};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrgKind {
    /// The platform operator's own org: owns the built-in catalogues and the calendar.
    /// It has no parent and no children; it is never created through the API.
    Platform,
    /// 省级卫生健康委员会
    Province,
    /// 市级卫生健康委员会
    City,
    /// 县/区卫生健康局
    County,
    /// 医疗卫生机构
    Institution,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Platform,
        OrgKind::Province,
        OrgKind::City,
        OrgKind::County,
        OrgKind::Institution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Platform => "PLATFORM",
            OrgKind::Province => "PROVINCE",
            OrgKind::City => "CITY",
            OrgKind::County => "COUNTY",
            OrgKind::Institution => "INSTITUTION",
        }
    }

    /// The stored code, exactly (`from_str` also takes user input in any case).
    pub fn parse(code: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Platform => "平台",
            OrgKind::Province => "省",
            OrgKind::City => "市",
            OrgKind::County => "县/区",
            OrgKind::Institution => "医疗卫生机构",
        }
    }

    /// Bureaus carry a division code; institutions a credit code.
    pub fn is_bureau(self) -> bool {
        !matches!(self, OrgKind::Institution | OrgKind::Platform)
    }

    /// The kinds an org of this kind may hang under. A province is a top-level tenant.
    pub fn allowed_parents(self) -> &'static [OrgKind] {
        match self {
            OrgKind::Platform | OrgKind::Province => &[],
            OrgKind::City => &[OrgKind::Province],
            // Counties administered directly by a province (省直辖县级行政单位) exist.
            OrgKind::County => &[OrgKind::City, OrgKind::Province],
            OrgKind::Institution => &[OrgKind::County, OrgKind::City, OrgKind::Province],
        }
    }
}

impl FromStr for OrgKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("未知机构类型：{s}"))
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an org cannot be placed where it was asked to go. Each names the input field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlacementError {
    #[error("{kind}级机构必须有上级机构")]
    ParentRequired { kind: &'static str },
    #[error("省级机构不能有上级机构")]
    ProvinceHasNoParent,
    #[error("平台机构由系统创建，不能新建")]
    PlatformIsBuiltIn,
    #[error("“{kind}”不能设在“{parent}”之下")]
    WrongParentKind {
        kind: &'static str,
        parent: &'static str,
    },
    #[error(transparent)]
    Division(#[from] DivisionCodeError),
    #[error(transparent)]
    Credit(#[from] CreditCodeError),
    #[error("机构的统一社会信用代码登记地 {division} 不在上级所在省份 {province} 内")]
    CreditOutsideProvince { division: String, province: String },
}

impl PlacementError {
    /// The input field the error is about, for `VALIDATION` responses.
    pub fn field(&self) -> &'static str {
        match self {
            PlacementError::ParentRequired { .. }
            | PlacementError::ProvinceHasNoParent
            | PlacementError::WrongParentKind { .. } => "parentId",
            PlacementError::PlatformIsBuiltIn => "kind",
            _ => "code",
        }
    }
}

/// Checks that an org of `kind` with `code` may hang under `parent` (its kind and code),
/// and returns the code in its normal form.
pub fn check_placement(
    kind: OrgKind,
    code: &str,
    parent: Option<(OrgKind, &str)>,
) -> Result<String, PlacementError> {
    match (kind, parent) {
        (OrgKind::Platform, _) => return Err(PlacementError::PlatformIsBuiltIn),
        (OrgKind::Province, Some(_)) => return Err(PlacementError::ProvinceHasNoParent),
        (OrgKind::Province, None) => {}
        (_, None) => return Err(PlacementError::ParentRequired { kind: kind.label() }),
        (_, Some((parent_kind, _))) if !kind.allowed_parents().contains(&parent_kind) => {
            return Err(PlacementError::WrongParentKind {
                kind: kind.label(),
                parent: parent_kind.label(),
            });
        }
        _ => {}
    }
    // Parents are bureaus (institutions cannot have children), so their code is a division code.
    let parent_code = parent.map(|(_, c)| DivisionCode::parse(c)).transpose()?;
    if kind == OrgKind::Institution {
        let credit = CreditCode::parse(code)?;
        if let Some(parent_code) = &parent_code
            && !credit.division().starts_with(parent_code.province_prefix())
        {
            return Err(PlacementError::CreditOutsideProvince {
                division: credit.division().to_owned(),
                province: format!("{}0000", parent_code.province_prefix()),
            });
        }
        return Ok(credit.as_str().to_owned());
    }
    let division = DivisionCode::parse(code)?;
    let level = match kind {
        OrgKind::Province | OrgKind::Platform => DivisionLevel::Province,
        OrgKind::City => DivisionLevel::Prefecture,
        _ => DivisionLevel::County,
    };
    division.check_under(level, parent_code.as_ref())?;
    Ok(division.as_str().to_owned())
}

/// An org's position in the tree as a materialized path of ids, `/1/5/23/`, so that
/// "this org and everything below it" is one range scan on an index:
/// `path >= '/1/5/' AND path < '/1/50'` (`'0'` is the character after `'/'`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPath(String);

impl OrgPath {
    pub fn root(id: i64) -> Self {
        Self(format!("/{id}/"))
    }

    pub fn child(&self, id: i64) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    pub fn from_stored(path: impl Into<String>) -> Self {
        Self(path.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Lower (inclusive) and upper (exclusive) bounds of every path in this subtree,
    /// this org included. Paths are compared bytewise (C collation).
    pub fn subtree_range(&self) -> (String, String) {
        let mut upper = self.0.clone();
        upper.pop();
        upper.push('0');
        (self.0.clone(), upper)
    }

    pub fn contains(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The ids from the root down to this org.
    pub fn ids(&self) -> Vec<i64> {
        self.0.split('/').filter_map(|s| s.parse().ok()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtree_range_holds_descendants_and_nothing_else() {
        let city = OrgPath::root(1).child(5);
        let (lo, hi) = city.subtree_range();
        let inside = |p: &str| p >= lo.as_str() && p < hi.as_str();
        assert!(inside("/1/5/"));
        assert!(inside("/1/5/23/"));
        assert!(inside("/1/5/23/999/"));
        assert!(
            !inside("/1/50/"),
            "a sibling whose id starts with the same digit"
        );
        assert!(!inside("/1/51/7/"));
        assert!(!inside("/1/4/"));
        assert!(!inside("/1/"));
        assert!(city.contains(&OrgPath::from_stored("/1/5/23/")));
        assert!(!city.contains(&OrgPath::from_stored("/1/50/")));
        assert_eq!(city.child(23).ids(), vec![1, 5, 23]);
    }

    #[test]
    fn placement_follows_the_tree() {
        assert_eq!(
            check_placement(OrgKind::Province, "210000", None),
            Ok("210000".into())
        );
        assert_eq!(
            check_placement(OrgKind::City, "210100", Some((OrgKind::Province, "210000"))),
            Ok("210100".into())
        );
        assert_eq!(
            check_placement(OrgKind::County, "210102", Some((OrgKind::City, "210100"))),
            Ok("210102".into())
        );
        assert_eq!(
            check_placement(
                OrgKind::County,
                "210102",
                Some((OrgKind::Institution, "210100"))
            )
            .unwrap_err()
            .field(),
            "parentId"
        );
        assert_eq!(
            check_placement(OrgKind::City, "210100", None),
            Err(PlacementError::ParentRequired { kind: "市" })
        );
        assert_eq!(
            check_placement(
                OrgKind::Province,
                "210000",
                Some((OrgKind::Province, "110000"))
            ),
            Err(PlacementError::ProvinceHasNoParent)
        );
        let err = check_placement(OrgKind::County, "210202", Some((OrgKind::City, "210100")))
            .unwrap_err();
        assert_eq!(err.field(), "code");
        assert!(err.to_string().contains("前 4 位"), "{err}");
    }

    #[test]
    fn institutions_need_a_valid_credit_code_from_the_same_province() {
        let code = crate::CreditCode::complete("12210102MB0000001").unwrap();
        assert_eq!(
            check_placement(
                OrgKind::Institution,
                code.as_str(),
                Some((OrgKind::County, "210102"))
            ),
            Ok(code.as_str().to_owned())
        );
        assert!(matches!(
            check_placement(
                OrgKind::Institution,
                code.as_str(),
                Some((OrgKind::County, "350402"))
            ),
            Err(PlacementError::CreditOutsideProvince { .. })
        ));
        assert!(matches!(
            check_placement(
                OrgKind::Institution,
                "914403001922038217",
                Some((OrgKind::County, "440304"))
            ),
            Err(PlacementError::Credit(CreditCodeError::BadCheck { .. }))
        ));
    }
}
