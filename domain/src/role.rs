//! What a user may do inside its org's subtree.

use std::fmt;
use std::str::FromStr;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// Manages the orgs and users of its subtree.
    Admin,
    /// Fills in its org's checklists.
    Filler,
    /// Reviews the checklists of its org and of the orgs below.
    Reviewer,
    /// Reads only.
    Viewer,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知角色：{0}")]
pub struct RoleParseError(pub String);

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Filler, Role::Reviewer, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Filler => "FILLER",
            Role::Reviewer => "REVIEWER",
            Role::Viewer => "VIEWER",
        }
    }

    /// The name the interface shows.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Filler => "填报员",
            Role::Reviewer => "审核员",
            Role::Viewer => "查看员",
        }
    }

    /// Roles are stored as a comma-separated list; this reads one back.
    pub fn parse_list(stored: &str) -> Result<Vec<Role>, RoleParseError> {
        let mut roles: Vec<Role> = stored
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Role::from_str)
            .collect::<Result<_, _>>()?;
        roles.sort();
        roles.dedup();
        Ok(roles)
    }

    pub fn format_list(roles: &[Role]) -> String {
        let mut roles = roles.to_vec();
        roles.sort();
        roles.dedup();
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl FromStr for Role {
    type Err = RoleParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| RoleParseError(s.to_owned()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip_sorted_and_deduplicated() {
        let stored = Role::format_list(&[Role::Reviewer, Role::Admin, Role::Reviewer]);
        assert_eq!(stored, "ADMIN,REVIEWER");
        assert_eq!(
            Role::parse_list(&stored).unwrap(),
            vec![Role::Admin, Role::Reviewer]
        );
        assert_eq!(
            Role::parse_list("filler, viewer").unwrap(),
            vec![Role::Filler, Role::Viewer]
        );
        assert!(Role::parse_list("ADMIN,ROOT").is_err());
    }
}
