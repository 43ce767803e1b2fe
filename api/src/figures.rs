//! An org's figure in a round as the worker stored it: a region's roll-up, or an
//! institution's checklist score. Many orgs over several rounds are read in a fixed
//! number of statements (roll-ups, checklists, score summaries), whatever their number
//! — a comparison page must never issue a query per row.

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use touming_domain::OrgKind;
use touming_domain::assessment::AssignmentStatus;
use touming_domain::scoring::{Coverage, Grade, Indicators, Spread, Tally};
use touming_store::entity::{assignment, org, rollup, round, score};

use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone)]
pub struct Figure {
    pub org: org::Model,
    pub round_id: i64,
    /// Thousandths of a percent; `None` while nothing counts yet.
    pub composite_milli: Option<u32>,
    pub grade: Option<Grade>,
    pub coverage: Coverage,
    pub spread: Option<Spread>,
    pub indicators: Indicators,
    /// Per category and item, over the submitted checklists counted.
    pub tally: Tally,
    /// The org's own checklist in the round, if it has one.
    pub assignment: Option<assignment::Model>,
}

impl Figure {
    fn empty(org: org::Model, round_id: i64) -> Figure {
        Figure {
            org,
            round_id,
            composite_milli: None,
            grade: None,
            coverage: Coverage::default(),
            spread: None,
            indicators: Indicators::default(),
            tally: Tally::default(),
            assignment: None,
        }
    }
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> ApiResult<T> {
    serde_json::from_str(text).map_err(ApiError::internal)
}

/// One org's figure in one round.
pub async fn figure(
    db: &impl ConnectionTrait,
    round: &round::Model,
    org: org::Model,
) -> ApiResult<Figure> {
    let mut all = figures(db, std::slice::from_ref(round), vec![org]).await?;
    Ok(all.remove(0).remove(0))
}

/// The figures of `orgs` in each of `rounds`: `out[r][o]` is `orgs[o]` in `rounds[r]`.
pub async fn figures(
    db: &impl ConnectionTrait,
    rounds: &[round::Model],
    orgs: Vec<org::Model>,
) -> ApiResult<Vec<Vec<Figure>>> {
    if rounds.is_empty() || orgs.is_empty() {
        return Ok(rounds.iter().map(|_| Vec::new()).collect());
    }
    let round_ids: Vec<i64> = rounds.iter().map(|r| r.id).collect();
    let org_ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let regions: Vec<i64> = orgs
        .iter()
        .filter(|o| o.kind() != OrgKind::Institution)
        .map(|o| o.id)
        .collect();
    let rollups: HashMap<(i64, i64), rollup::Model> = if regions.is_empty() {
        HashMap::new()
    } else {
        rollup::Entity::find()
            .filter(rollup::Column::RoundId.is_in(round_ids.clone()))
            .filter(rollup::Column::OrgId.is_in(regions))
            .all(db)
            .await?
            .into_iter()
            .map(|r| ((r.round_id, r.org_id), r))
            .collect()
    };
    let assignments: HashMap<(i64, i64), assignment::Model> = assignment::Entity::find()
        .filter(assignment::Column::RoundId.is_in(round_ids))
        .filter(assignment::Column::OrgId.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| ((a.round_id, a.org_id), a))
        .collect();
    // Only institutions' scores are figures; the explanations stay unread.
    let institutions: HashSet<i64> = orgs
        .iter()
        .filter(|o| o.kind() == OrgKind::Institution)
        .map(|o| o.id)
        .collect();
    let scored: Vec<i64> = assignments
        .values()
        .filter(|a| institutions.contains(&a.org_id))
        .map(|a| a.id)
        .collect();
    type Summary = (i64, i32, bool, String, String);
    let scores: HashMap<i64, Summary> = if scored.is_empty() {
        HashMap::new()
    } else {
        score::Entity::find()
            .select_only()
            .columns([
                score::Column::AssignmentId,
                score::Column::PercentMilli,
                score::Column::VetoFailed,
                score::Column::Indicators,
                score::Column::Tally,
            ])
            .filter(score::Column::AssignmentId.is_in(scored))
            .into_tuple::<Summary>()
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.0, s))
            .collect()
    };

    let mut out = Vec::with_capacity(rounds.len());
    for round in rounds {
        let policy = touming_store::round::policy(round)?;
        let closed = touming_store::round::is_closed(round);
        let mut row = Vec::with_capacity(orgs.len());
        for org in &orgs {
            let mut f = Figure::empty(org.clone(), round.id);
            f.assignment = assignments.get(&(round.id, org.id)).cloned();
            if org.kind() == OrgKind::Institution {
                if let Some(a) = &f.assignment {
                    let status = *a.status;
                    let stored = scores.get(&a.id);
                    // Like the roll-up: a submitted checklist counts with its score (none
                    // yet counts as 0), an unsubmitted one only once the round is closed.
                    f.composite_milli = match (status.is_submitted(), closed) {
                        (true, _) => Some(stored.map_or(0, |s| s.1.max(0) as u32)),
                        (false, true) => Some(0),
                        (false, false) => None,
                    };
                    let veto = stored.is_some_and(|s| s.2) && f.composite_milli.is_some();
                    f.grade = if veto {
                        Some(Grade::Fail)
                    } else {
                        f.composite_milli.map(|c| Grade::of(c, &policy))
                    };
                    f.coverage = Coverage {
                        expected: 1,
                        submitted: status.is_submitted() as u32,
                        approved: (status == AssignmentStatus::Approved) as u32,
                    };
                    if let Some(s) = stored.filter(|_| status.is_submitted()) {
                        f.indicators = json(&s.3)?;
                        f.tally = json(&s.4)?;
                    }
                }
            } else if let Some(r) = rollups.get(&(round.id, org.id)) {
                f.composite_milli = r.composite_milli.and_then(|c| u32::try_from(c).ok());
                f.grade = f.composite_milli.map(|c| Grade::of(c, &policy));
                f.coverage = Coverage {
                    expected: u32::try_from(r.expected).unwrap_or(0),
                    submitted: u32::try_from(r.submitted).unwrap_or(0),
                    approved: u32::try_from(r.approved).unwrap_or(0),
                };
                f.spread = r.spread.as_deref().map(json).transpose()?;
                f.indicators = json(&r.indicators)?;
                f.tally = json(&r.tally)?;
            }
            row.push(f);
        }
        out.push(row);
    }
    Ok(out)
}

impl Figure {
    /// Submitted of expected, in thousandths of a percent.
    pub fn coverage_milli(&self) -> Option<u32> {
        touming_domain::scoring::Ratio {
            num: u64::from(self.coverage.submitted),
            den: u64::from(self.coverage.expected),
        }
        .percent_milli()
    }
}

/// Which of `children` an org at `path` lies in (itself or below): each row's subtree,
/// for counting rectification entries per row.
pub fn child_of(children: &[Figure], path: &str) -> Option<i64> {
    let ids = touming_domain::OrgPath::from_stored(path.to_owned()).ids();
    children
        .iter()
        .find(|c| ids.contains(&c.org.id))
        .map(|c| c.org.id)
}
