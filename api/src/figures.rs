//! An org's figure in a round as the worker stored it: a region's roll-up, or an
//! institution's checklist score. Many orgs over several rounds are read in a fixed
//! number of statements (roll-ups, checklists, score summaries), whatever their number
//! — a comparison page must never issue a query per row.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use touming_domain::OrgKind;
use touming_domain::assessment::AssignmentStatus;
use touming_domain::scoring::{Coverage, Grade, Indicators, Spread, Tally};
use touming_store::coverage::subtree_counts;
use touming_store::entity::{assignment, org, rollup, round, score};
use touming_store::scores::{rollup_from_row, score_indicators, score_tally};

use crate::error::ApiResult;

#[derive(Debug, Clone)]
pub struct Figure {
    pub org: org::Model,
    pub round_id: i64,
    /// Thousandths of a percent; `None` while nothing counts yet.
    pub composite_milli: Option<u32>,
    /// Unsubmitted checklists counted as 0 even while the round is open.
    pub strict_composite_milli: Option<u32>,
    pub grade: Option<Grade>,
    pub coverage: Coverage,
    pub spread: Option<Spread>,
    pub indicators: Indicators,
    /// Per category and item, over the submitted checklists counted.
    pub tally: Tally,
    /// The org's own checklist in the round, if it has one.
    pub assignment: Option<assignment::Model>,
    /// When the worker last wrote this figure (the roll-up, or the checklist's score).
    pub computed_at: Option<DateTime<Utc>>,
    /// A checklist it counts changed after it was computed (or it was never computed
    /// although there are checklists): the figure is not current yet.
    pub stale: bool,
}

impl Figure {
    fn empty(org: org::Model, round_id: i64) -> Figure {
        Figure {
            org,
            round_id,
            composite_milli: None,
            strict_composite_milli: None,
            grade: None,
            coverage: Coverage::default(),
            spread: None,
            indicators: Indicators::default(),
            tally: Tally::default(),
            assignment: None,
            computed_at: None,
            stale: false,
        }
    }
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
            .filter(rollup::Column::OrgId.is_in(regions.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| ((r.round_id, r.org_id), r))
            .collect()
    };
    // Coverage and staleness below each region, from the checklists themselves: right
    // from the moment a round opens, before the worker has rolled anything up.
    let unrolled: Vec<i64> = regions
        .iter()
        .copied()
        .filter(|id| round_ids.iter().any(|r| !rollups.contains_key(&(*r, *id))))
        .collect();
    let below = subtree_counts(db, &round_ids, &regions, &unrolled).await?;
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
    type Summary = (i64, i32, bool, String, String, DateTime<Utc>);
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
                score::Column::ComputedAt,
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
                    // Not counted yet means unsubmitted: 0 when counted strictly.
                    f.strict_composite_milli = Some(f.composite_milli.unwrap_or(0));
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
                        f.indicators = score_indicators(s.0, &s.3)?;
                        f.tally = score_tally(s.0, &s.4)?;
                    }
                    f.computed_at = stored.map(|s| s.5);
                    f.stale = a.score_stale;
                }
            } else {
                let counted = below.get(&(round.id, org.id)).copied().unwrap_or_default();
                match rollups.get(&(round.id, org.id)) {
                    Some(row) => {
                        let r = rollup_from_row(row)?;
                        f.composite_milli = r.composite_milli;
                        f.strict_composite_milli = r.strict_composite_milli;
                        f.grade = f.composite_milli.map(|c| Grade::of(c, &policy));
                        f.coverage = r.coverage;
                        f.spread = r.spread;
                        f.indicators = r.indicators;
                        f.tally = r.tally;
                        f.computed_at = Some(row.computed_at);
                        f.stale = counted.stale > 0;
                    }
                    None => {
                        f.coverage = Coverage {
                            expected: counted.expected,
                            submitted: counted.submitted,
                            approved: counted.approved,
                        };
                        f.stale = counted.expected > 0;
                    }
                }
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
