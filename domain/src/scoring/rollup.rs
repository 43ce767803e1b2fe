//! Rolling scores up the hierarchy (DOMAIN.md §4): a region's composite is the weighted
//! mean of the parts that exist — its own checklist, the mean of its directly attached
//! institutions, the mean of its sub-regions' composites — with the weights
//! renormalised over those parts. While a round is open only submitted checklists
//! count; once it is closed an unsubmitted one counts as 0. Beside it the strict
//! composite counts the unsubmitted as 0 already (what closing now would give), so a
//! region cannot rank first on the one checklist of four it submitted. The same
//! function serves a full recompute and an incremental one, so the two cannot differ.

use serde::{Deserialize, Serialize};

use super::indicators::Indicators;
use super::tally::Tally;
use crate::assessment::ScoringPolicy;

/// A checklist as the roll-up sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildResult {
    pub percent_milli: u32,
    pub submitted: bool,
    pub approved: bool,
    pub indicators: Indicators,
    #[serde(default)]
    pub tally: Tally,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub expected: u32,
    pub submitted: u32,
    pub approved: u32,
}

impl Coverage {
    fn add(self, o: Coverage) -> Coverage {
        Coverage {
            expected: self.expected + o.expected,
            submitted: self.submitted + o.submitted,
            approved: self.approved + o.approved,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    pub min: u32,
    pub p25: u32,
    pub median: u32,
    pub p75: u32,
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rollup {
    /// Thousandths of a percent; `None` when nothing counts yet.
    pub composite_milli: Option<u32>,
    /// The composite with every unsubmitted checklist counted as 0, whether or not the
    /// round is closed; `None` only when no checklist is expected below.
    pub strict_composite_milli: Option<u32>,
    pub coverage: Coverage,
    /// Pooled over the subtree: ratios of sums.
    pub indicators: Indicators,
    /// Over the children being compared (sub-regions, or else institutions).
    pub spread: Option<Spread>,
    /// Pooled over the subtree's submitted checklists, like the indicators.
    #[serde(default)]
    pub tally: Tally,
}

fn counted(c: &ChildResult, closed: bool) -> Option<u32> {
    if c.submitted {
        Some(c.percent_milli)
    } else if closed {
        Some(0)
    } else {
        None
    }
}

fn mean(values: &[u32]) -> Option<u32> {
    (!values.is_empty()).then(|| {
        let sum: u64 = values.iter().map(|v| *v as u64).sum();
        let n = values.len() as u64;
        ((2 * sum + n) / (2 * n)) as u32
    })
}

/// Quartiles by linear interpolation between closest ranks, rounded.
fn spread(values: &[u32]) -> Option<Spread> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let at = |q_num: u64, q_den: u64| -> u32 {
        // position = q × (n − 1), in units of 1/q_den
        let pos = q_num * (v.len() as u64 - 1);
        let (i, frac) = ((pos / q_den) as usize, pos % q_den);
        if frac == 0 {
            return v[i];
        }
        let (lo, hi) = (v[i] as u64, v[i + 1] as u64);
        ((lo * (q_den - frac) * 2 + hi * frac * 2 + q_den) / (2 * q_den)) as u32
    };
    Some(Spread {
        min: v[0],
        p25: at(1, 4),
        median: at(2, 4),
        p75: at(3, 4),
        max: v[v.len() - 1],
    })
}

/// The weighted mean of the parts that exist, each checklist counted by `count`.
fn composite(
    own: Option<&ChildResult>,
    institutions: &[ChildResult],
    subregions: &[Option<u32>],
    policy: &ScoringPolicy,
    count: impl Fn(&ChildResult) -> Option<u32>,
) -> (Option<u32>, Vec<u32>) {
    let own_value = own.and_then(&count);
    let institution_values: Vec<u32> = institutions.iter().filter_map(&count).collect();
    let subregion_values: Vec<u32> = subregions.iter().flatten().copied().collect();
    let parts = [
        (own_value, policy.own_weight),
        (mean(&institution_values), policy.institutions_weight),
        (mean(&subregion_values), policy.subregions_weight),
    ];
    let (mut num, mut den) = (0u64, 0u64);
    for (value, weight) in parts {
        if let Some(v) = value {
            num += v as u64 * weight as u64;
            den += weight as u64;
        }
    }
    let composite = (den > 0).then(|| ((2 * num + den) / (2 * den)) as u32);
    // The values compared by the spread: sub-regions if there are any, else institutions.
    let compared = if subregions.is_empty() {
        institution_values
    } else {
        subregion_values
    };
    (composite, compared)
}

/// One region's roll-up from its own checklist (if it has one), its directly attached
/// institutions' checklists and its sub-regions' roll-ups.
pub fn rollup_region(
    own: Option<&ChildResult>,
    institutions: &[ChildResult],
    subregions: &[Rollup],
    policy: &ScoringPolicy,
    closed: bool,
) -> Rollup {
    let as_published: Vec<Option<u32>> = subregions.iter().map(|r| r.composite_milli).collect();
    let (composite_milli, compared) = composite(own, institutions, &as_published, policy, |c| {
        counted(c, closed)
    });
    let strict: Vec<Option<u32>> = subregions
        .iter()
        .map(|r| r.strict_composite_milli)
        .collect();
    let (strict_composite_milli, _) =
        composite(own, institutions, &strict, policy, |c| counted(c, true));

    let mut coverage = Coverage::default();
    let mut indicators = Indicators::default();
    let mut tally = Tally::default();
    for c in own.into_iter().chain(institutions) {
        coverage = coverage.add(Coverage {
            expected: 1,
            submitted: c.submitted as u32,
            approved: c.approved as u32,
        });
        if c.submitted {
            indicators = indicators + c.indicators;
            tally.add(&c.tally);
        }
    }
    for r in subregions {
        coverage = coverage.add(r.coverage);
        indicators = indicators + r.indicators;
        tally.add(&r.tally);
    }
    Rollup {
        composite_milli,
        strict_composite_milli,
        coverage,
        indicators,
        spread: spread(&compared),
        tally,
    }
}

/// Ranks, highest first; ties share a rank and the next rank skips (1, 2, 2, 4).
/// Values that do not count yet get no rank.
pub fn competition_ranks(values: &[Option<u32>]) -> Vec<Option<u32>> {
    values
        .iter()
        .map(|v| v.map(|v| 1 + values.iter().filter(|o| o.is_some_and(|o| o > v)).count() as u32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(percent: u32) -> ChildResult {
        ChildResult {
            percent_milli: percent * 1000,
            submitted: true,
            approved: false,
            indicators: Indicators::default(),
            tally: Tally::default(),
        }
    }

    fn pending() -> ChildResult {
        ChildResult {
            percent_milli: 95_000,
            submitted: false,
            approved: false,
            indicators: Indicators::default(),
            tally: Tally::default(),
        }
    }

    #[test]
    fn weights_renormalise_over_the_parts_that_exist() {
        let policy = ScoringPolicy::default();
        // Own 80, institutions mean 90, no sub-regions: (0.4×80 + 0.2×90) / 0.6 = 83.333…
        let r = rollup_region(Some(&done(80)), &[done(85), done(95)], &[], &policy, false);
        assert_eq!(r.composite_milli, Some(83_333));
        // Only sub-regions: their mean.
        let sub = |p: u32| Rollup {
            composite_milli: Some(p * 1000),
            strict_composite_milli: Some(p * 1000),
            coverage: Coverage {
                expected: 1,
                submitted: 1,
                approved: 0,
            },
            indicators: Indicators::default(),
            spread: None,
            tally: Tally::default(),
        };
        let r = rollup_region(None, &[], &[sub(70), sub(90)], &policy, false);
        assert_eq!(r.composite_milli, Some(80_000));
        assert_eq!(
            r.coverage,
            Coverage {
                expected: 2,
                submitted: 2,
                approved: 0
            }
        );
        assert_eq!(
            rollup_region(None, &[], &[], &policy, false).composite_milli,
            None
        );
    }

    #[test]
    fn open_rounds_count_submitted_assignments_closed_rounds_count_the_rest_as_zero() {
        let policy = ScoringPolicy::default();
        let open = rollup_region(
            Some(&pending()),
            &[done(60), pending()],
            &[],
            &policy,
            false,
        );
        assert_eq!(
            open.composite_milli,
            Some(60_000),
            "only the submitted institution counts"
        );
        assert_eq!(
            open.coverage,
            Coverage {
                expected: 3,
                submitted: 1,
                approved: 0
            }
        );
        let closed = rollup_region(Some(&pending()), &[done(60), pending()], &[], &policy, true);
        // own 0 (0.4), institutions mean 30 (0.2): 10.
        assert_eq!(closed.composite_milli, Some(10_000));
        // While open, the strict composite already counts the unsubmitted as 0.
        assert_eq!(open.strict_composite_milli, Some(10_000));
        assert_eq!(closed.strict_composite_milli, Some(10_000));
    }

    #[test]
    fn spread_and_ranks() {
        let s = spread(&[50_000, 70_000, 90_000, 100_000, 60_000]).unwrap();
        assert_eq!(
            (s.min, s.p25, s.median, s.p75, s.max),
            (50_000, 60_000, 70_000, 90_000, 100_000)
        );
        let s = spread(&[10_000, 20_000]).unwrap();
        assert_eq!((s.p25, s.median, s.p75), (12_500, 15_000, 17_500));
        assert_eq!(
            competition_ranks(&[Some(90), Some(80), Some(80), Some(70), None]),
            [Some(1), Some(2), Some(2), Some(4), None]
        );
    }

    proptest::proptest! {
        #[test]
        fn a_better_child_never_lowers_the_region(
            own in proptest::option::of(0u32..=100),
            institutions in proptest::collection::vec((0u32..=100, proptest::bool::ANY), 0..6),
            subregions in proptest::collection::vec(proptest::option::of(0u32..=100), 0..6),
            closed in proptest::bool::ANY,
            pick in 0usize..6,
            gain in 1u32..=100,
        ) {
            let policy = ScoringPolicy::default();
            let child = |p: u32, submitted: bool| ChildResult {
                percent_milli: p * 1000,
                submitted,
                approved: false,
                indicators: Indicators::default(),
                tally: Tally::default(),
            };
            // A sub-region with nothing submitted counts as 0 once the round is closed.
            let sub = |p: Option<u32>| Rollup {
                composite_milli: p.or(closed.then_some(0)).map(|p| p * 1000),
                strict_composite_milli: Some(p.unwrap_or(0) * 1000),
                coverage: Coverage { expected: 1, submitted: p.is_some() as u32, approved: 0 },
                indicators: Indicators::default(),
                spread: None,
                tally: Tally::default(),
            };
            let own_result = own.map(|p| child(p, true));
            let inst: Vec<ChildResult> = institutions.iter().map(|(p, s)| child(*p, *s)).collect();
            let subs: Vec<Rollup> = subregions.iter().map(|p| sub(*p)).collect();
            let before = rollup_region(own_result.as_ref(), &inst, &subs, &policy, closed);
            // Improve one submitted institution, if there is one.
            let mut better = inst.clone();
            if let Some(c) = better.iter_mut().filter(|c| c.submitted).nth(pick % inst.len().max(1)) {
                c.percent_milli = (c.percent_milli + gain * 1000).min(100_000);
            }
            let after = rollup_region(own_result.as_ref(), &better, &subs, &policy, closed);
            proptest::prop_assert!(after.composite_milli >= before.composite_milli);
            proptest::prop_assert!(after.strict_composite_milli >= before.strict_composite_milli);
            // Counting the unsubmitted as 0 never raises a figure, and once the round is
            // closed it is the figure.
            proptest::prop_assert!(before.strict_composite_milli <= before.composite_milli.or(before.strict_composite_milli));
            if closed {
                proptest::prop_assert_eq!(before.strict_composite_milli, before.composite_milli);
            }
        }
    }
}
