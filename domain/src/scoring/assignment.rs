//! One checklist's score: item points with their explanation, category subtotals,
//! percent, grade, veto, and the indicators.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::indicators::{Indicators, Ratio};
use super::periods::expected_periods;
use crate::assessment::{Answer, AnswerStatus, InterpretationForm, ScoringPolicy};
use crate::calendar::Calendar;
use crate::catalogue::{Item, TimeLimit, weight_text};

pub struct ScoringInput<'a> {
    pub items: &'a [Item],
    pub answers: &'a [Answer],
    pub policy: &'a ScoringPolicy,
    pub calendar: &'a Calendar,
    /// The period assessed.
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The day of scoring: periodic items count the periods due by then.
    pub as_of: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Grade {
    Excellent,
    Good,
    Pass,
    Fail,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail];

    /// The code as serialised and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "EXCELLENT",
            Grade::Good => "GOOD",
            Grade::Pass => "PASS",
            Grade::Fail => "FAIL",
        }
    }

    pub fn parse(code: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Good => "良好",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
    }

    pub fn of(percent_milli: u32, policy: &ScoringPolicy) -> Grade {
        let p = percent_milli;
        if p >= policy.excellent * 1000 {
            Grade::Excellent
        } else if p >= policy.good * 1000 {
            Grade::Good
        } else if p >= policy.pass * 1000 {
            Grade::Pass
        } else {
            Grade::Fail
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub code: String,
    pub title: String,
    pub category: String,
    /// False for 不适用: the item counts in neither points nor maximum.
    pub applicable: bool,
    pub weight_milli: u32,
    pub points_milli: u32,
    /// A veto item that was not disclosed.
    pub veto_failed: bool,
    /// Why, in Chinese: what was found and each factor applied.
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryScore {
    pub name: String,
    pub points_milli: u64,
    pub max_milli: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentScore {
    pub total_milli: u64,
    pub max_milli: u64,
    /// Thousandths of a percent, rounded once, after the veto cap.
    pub percent_milli: u32,
    pub grade: Grade,
    pub veto_failed: bool,
    pub categories: Vec<CategoryScore>,
    pub items: Vec<ItemScore>,
    pub indicators: Indicators,
}

/// A factor in thousandths as people read it: 500 → "0.5".
fn factor(f: u32) -> String {
    weight_text(f)
}

fn round_div(num: u128, den: u128) -> u128 {
    (2 * num + den) / (2 * den)
}

struct Timeliness {
    /// The factor is `sum / periods` (‰); one period but for periodic items.
    sum: u32,
    periods: u32,
    note: String,
    on_time: Ratio,
}

fn timeliness(item: &Item, answer: &Answer, input: &ScoringInput) -> Timeliness {
    let late = input.policy.late;
    let judged = |on_time: bool, note: String| Timeliness {
        sum: if on_time { 1000 } else { late },
        periods: 1,
        note: if on_time {
            note
        } else {
            format!("{note}：逾期，×{}", factor(late))
        },
        on_time: Ratio {
            num: on_time as u64,
            den: 1,
        },
    };
    let unjudged = |note: String| Timeliness {
        sum: 1000,
        periods: 1,
        note,
        on_time: Ratio::default(),
    };
    match item.time_limit {
        TimeLimit::None => unjudged("无固定时限".into()),
        TimeLimit::Realtime => unjudged("实时公开事项".into()),
        TimeLimit::WorkingDays { days } => match (answer.formed_on, answer.published_on) {
            (Some(formed), Some(published)) => {
                match input.calendar.add_working_days(formed, days) {
                    Ok(deadline) => judged(
                        published <= deadline,
                        format!(
                            "{formed} 形成，{days} 个工作日内应于 {deadline} 前公开，{published} 公开"
                        ),
                    ),
                    Err(e) => unjudged(format!("未能判断时限（{e}）")),
                }
            }
            _ => judged(false, "缺少形成或公开日期".into()),
        },
        TimeLimit::Annual { month, day } => {
            let start = input.period_start;
            // 29 February falls back to the 28th in common years.
            let in_year = |y: i32| {
                NaiveDate::from_ymd_opt(y, month, day)
                    .or_else(|| NaiveDate::from_ymd_opt(y, month, 28))
            };
            let deadline = in_year(start.year())
                .filter(|d| *d >= start)
                .or_else(|| in_year(start.year() + 1));
            match (deadline, answer.published_on) {
                (Some(deadline), Some(published)) => judged(
                    published <= deadline,
                    format!("应于 {deadline} 前公开，{published} 公开"),
                ),
                (Some(deadline), None) => {
                    judged(false, format!("应于 {deadline} 前公开，缺少公开日期"))
                }
                (None, _) => unjudged("未能确定年度时限".into()),
            }
        }
        TimeLimit::Periodic { period, due } => {
            let expected = expected_periods(
                period,
                due,
                input.period_start,
                input.period_end,
                input.as_of,
            );
            if expected.is_empty() {
                return unjudged("考核期内尚无到期的期次".into());
            }
            let published: HashMap<&str, Option<NaiveDate>> = answer
                .periods
                .iter()
                .map(|p| (p.period.as_str(), p.published_on))
                .collect();
            let (mut on_time, mut late_count, mut missing, mut sum) = (0u64, 0, 0, 0u32);
            for (label, due_on) in &expected {
                match published.get(label.as_str()).copied().flatten() {
                    Some(day) if day <= *due_on => {
                        on_time += 1;
                        sum += 1000;
                    }
                    Some(_) => {
                        late_count += 1;
                        sum += late;
                    }
                    None => missing += 1,
                }
            }
            let n = expected.len() as u32;
            let f = round_div(sum as u128, n as u128) as u32;
            Timeliness {
                sum,
                periods: n,
                note: format!(
                    "应公开 {n} 期，按时 {on_time} 期，逾期 {late_count} 期，缺 {missing} 期，×{}",
                    factor(f)
                ),
                on_time: Ratio {
                    num: on_time,
                    den: n as u64,
                },
            }
        }
    }
}

/// Scores one checklist. Items without an answer count as 未公开.
pub fn score_assignment(input: &ScoringInput) -> AssignmentScore {
    let policy = input.policy;
    let by_code: HashMap<&str, &Answer> = input
        .answers
        .iter()
        .map(|a| (a.item_code.as_str(), a))
        .collect();
    let mut items = Vec::new();
    let mut indicators = Indicators::default();
    let mut veto_failed = false;
    for item in input.items {
        let category = item
            .category
            .first()
            .cloned()
            .unwrap_or_else(|| item.title.clone());
        let weight = item.weight_milli;
        let answer = by_code.get(item.code.as_str()).copied();
        let status = answer.map(|a| a.status);
        let mut score = ItemScore {
            code: item.code.clone(),
            title: item.title.clone(),
            category,
            applicable: true,
            weight_milli: weight,
            points_milli: 0,
            veto_failed: false,
            explanation: String::new(),
        };
        let (answer, s) = match (answer, status) {
            (Some(a), Some(AnswerStatus::NotApplicable)) => {
                score.applicable = false;
                score.explanation = format!("不适用：{}", a.na_reason.as_deref().unwrap_or(""));
                items.push(score);
                continue;
            }
            (Some(a), Some(AnswerStatus::Disclosed)) => (a, policy.disclosed),
            (Some(a), Some(AnswerStatus::Partial)) => (a, policy.partial),
            (answer, _) => {
                indicators.disclosure = indicators.disclosure + Ratio { num: 0, den: 1 };
                score.veto_failed = item.veto;
                veto_failed |= item.veto;
                let what = if answer.is_some() {
                    "未公开"
                } else {
                    "未填写，按未公开计"
                };
                let veto = if item.veto {
                    "；单项否决事项未公开，整体评为不合格"
                } else {
                    ""
                };
                score.points_milli =
                    round_div(weight as u128 * policy.not_disclosed as u128, 1000) as u32;
                score.explanation = format!(
                    "{what}，得 {}/{} 分{veto}",
                    weight_text(score.points_milli),
                    weight_text(weight)
                );
                items.push(score);
                continue;
            }
        };
        indicators.disclosure = indicators.disclosure + Ratio { num: 1, den: 1 };
        let mut notes = vec![if s == policy.disclosed {
            "已公开".to_owned()
        } else {
            format!("部分公开，×{}", factor(s))
        }];

        let t = timeliness(item, answer, input);
        notes.push(t.note);
        indicators.on_time = indicators.on_time + t.on_time;

        let missing: Vec<&str> = item
            .channels
            .iter()
            .filter(|c| !answer.channels.contains(c))
            .map(|c| c.label())
            .collect();
        let c = 1000u32.saturating_sub(policy.missing_channel * missing.len() as u32);
        notes.push(if missing.is_empty() {
            "渠道齐全".to_owned()
        } else {
            format!("缺少渠道：{}，×{}", missing.join("、"), factor(c))
        });
        indicators.multi_channel = indicators.multi_channel
            + (Ratio {
                num: (answer.channels.len() >= 2) as u64,
                den: 1,
            });

        let i = if item.needs_interpretation {
            let (f, note) = match (answer.interpretation_on, answer.published_on) {
                (None, _) => (policy.interpretation_missing, "缺少政策解读".to_owned()),
                (Some(on), Some(doc)) => match input.calendar.working_days_between(doc, on) {
                    Ok(n) if n <= policy.interpretation_window_days as i64 => (
                        policy.interpretation_on_time,
                        format!("解读 {on} 发布，同步"),
                    ),
                    Ok(n) => (
                        policy.interpretation_late,
                        format!("解读 {on} 发布，晚于文件 {n} 个工作日"),
                    ),
                    Err(e) => (
                        policy.interpretation_on_time,
                        format!("解读 {on} 发布（未能判断时差：{e}）"),
                    ),
                },
                (Some(on), None) => (policy.interpretation_on_time, format!("解读 {on} 发布")),
            };
            let has = answer.interpretation_on.is_some();
            indicators.interpretation = indicators.interpretation
                + (Ratio {
                    num: has as u64,
                    den: 1,
                });
            if has {
                let non_text = answer
                    .interpretation_forms
                    .iter()
                    .any(|f| *f != InterpretationForm::Text);
                indicators.non_text_interpretation = indicators.non_text_interpretation
                    + (Ratio {
                        num: non_text as u64,
                        den: 1,
                    });
            }
            notes.push(if f == 1000 {
                note
            } else {
                format!("{note}，×{}", factor(f))
            });
            f
        } else {
            1000
        };

        // One rounding, at the end (DOMAIN.md §4): the periodic factor enters as the
        // exact fraction sum / periods.
        let product = weight as u128 * s as u128 * t.sum as u128 * c as u128 * i as u128;
        score.points_milli = round_div(product, 1_000_000_000_000 * t.periods as u128) as u32;
        notes.push(format!(
            "得 {}/{} 分",
            weight_text(score.points_milli),
            weight_text(weight)
        ));
        score.explanation = notes.join("；");
        items.push(score);
    }

    let total: u64 = items.iter().map(|i| i.points_milli as u64).sum();
    let max: u64 = items
        .iter()
        .filter(|i| i.applicable)
        .map(|i| i.weight_milli as u64)
        .sum();
    let mut percent = if max == 0 {
        0
    } else {
        round_div(total as u128 * 100_000, max as u128) as u32
    };
    if veto_failed {
        percent = percent.min(policy.veto_cap * 1000);
    }
    let grade = if veto_failed {
        Grade::Fail
    } else {
        Grade::of(percent, policy)
    };
    let mut categories: Vec<CategoryScore> = Vec::new();
    for item in items.iter().filter(|i| i.applicable) {
        match categories.iter_mut().find(|c| c.name == item.category) {
            Some(c) => {
                c.points_milli += item.points_milli as u64;
                c.max_milli += item.weight_milli as u64;
            }
            None => categories.push(CategoryScore {
                name: item.category.clone(),
                points_milli: item.points_milli as u64,
                max_milli: item.weight_milli as u64,
            }),
        }
    }
    AssignmentScore {
        total_milli: total,
        max_milli: max,
        percent_milli: percent,
        grade,
        veto_failed,
        categories,
        items,
        indicators,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::assessment::PeriodRecord;
    use crate::catalogue::{Audience, Channel, DisclosureMode, DueRule, Period};

    #[test]
    fn grade_codes_are_the_serialised_names() {
        for grade in Grade::ALL {
            let json = serde_json::to_value(grade).unwrap();
            assert_eq!(json.as_str(), Some(grade.as_str()));
            assert_eq!(Grade::parse(grade.as_str()), Some(grade));
        }
        assert_eq!(Grade::parse("优秀"), None);
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item(code: &str, category: &str, weight: u32, time_limit: TimeLimit) -> Item {
        Item {
            code: code.into(),
            category: vec![category.into()],
            title: format!("事项{code}"),
            content: vec![],
            basis: String::new(),
            time_limit,
            time_limit_text: String::new(),
            body: String::new(),
            audience: Audience::Public,
            mode: DisclosureMode::Proactive,
            levels: vec![],
            channels: [Channel::Website].into(),
            needs_interpretation: false,
            evidence_required: false,
            weight_milli: weight * 1000,
            veto: false,
        }
    }

    fn answer(code: &str, status: AnswerStatus) -> Answer {
        Answer {
            item_code: code.into(),
            status,
            na_reason: None,
            formed_on: None,
            published_on: None,
            channels: [Channel::Website].into(),
            evidence_urls: vec![],
            interpretation_on: None,
            interpretation_forms: BTreeSet::new(),
            note: None,
            periods: vec![],
        }
    }

    fn score(items: &[Item], answers: &[Answer]) -> AssignmentScore {
        score_as_of(items, answers, "2025-06-30")
    }

    /// Scores for the 2025 period with the default policy, as of `day`.
    fn score_as_of(items: &[Item], answers: &[Answer], day: &str) -> AssignmentScore {
        let calendar = Calendar::builtin();
        let policy = ScoringPolicy::default();
        score_assignment(&ScoringInput {
            items,
            answers,
            policy: &policy,
            calendar: &calendar,
            period_start: d("2025-01-01"),
            period_end: d("2025-12-31"),
            as_of: d(day),
        })
    }

    #[test]
    fn a_late_publication_scores_half_and_says_why() {
        let items = [item(
            "0101",
            "政策文件",
            2,
            TimeLimit::WorkingDays { days: 20 },
        )];
        let mut a = answer("0101", AnswerStatus::Disclosed);
        a.formed_on = Some(d("2025-02-18"));
        a.published_on = Some(d("2025-03-21"));
        let s = score(&items, &[a.clone()]);
        assert_eq!(s.items[0].points_milli, 1000);
        let why = &s.items[0].explanation;
        assert!(
            why.contains("应于 2025-03-18 前公开，2025-03-21 公开：逾期，×0.5"),
            "{why}"
        );
        assert!(why.ends_with("得 1/2 分"), "{why}");
        a.published_on = Some(d("2025-03-18"));
        assert_eq!(
            score(&items, &[a]).items[0].points_milli,
            2000,
            "the deadline day itself is on time"
        );
    }

    #[test]
    fn factors_multiply_exactly() {
        let mut policy_item = item("0102", "政策文件", 1, TimeLimit::WorkingDays { days: 20 });
        policy_item.channels = [Channel::Website, Channel::NewMedia].into();
        policy_item.needs_interpretation = true;
        let mut a = answer("0102", AnswerStatus::Partial);
        a.formed_on = Some(d("2025-03-03"));
        a.published_on = Some(d("2025-03-03"));
        a.interpretation_on = Some(d("2025-03-10"));
        a.interpretation_forms = [InterpretationForm::Graphic].into();
        let s = score(&[policy_item], &[a]);
        // 1 × 0.5 (partial) × 1 (on time) × 0.75 (one channel missing) × 0.75 (late interpretation)
        assert_eq!(s.items[0].points_milli, 281, "0.28125 rounds to 0.281");
        let why = &s.items[0].explanation;
        assert!(
            why.contains("部分公开，×0.5") && why.contains("缺少渠道：两微一端，×0.75"),
            "{why}"
        );
        assert!(why.contains("晚于文件 5 个工作日，×0.75"), "{why}");
        assert_eq!(s.indicators.non_text_interpretation.num, 1);
    }

    #[test]
    fn periodic_items_count_each_period_due() {
        let items = [item(
            "1214",
            "公共卫生服务",
            1,
            TimeLimit::Periodic {
                period: Period::Monthly,
                due: DueRule::EndOfFollowingPeriod,
            },
        )];
        let mut a = answer("1214", AnswerStatus::Disclosed);
        a.periods = vec![
            PeriodRecord {
                period: "2025-01".into(),
                published_on: Some(d("2025-02-10")),
            },
            PeriodRecord {
                period: "2025-02".into(),
                published_on: Some(d("2025-04-10")),
            },
            PeriodRecord {
                period: "2025-04".into(),
                published_on: Some(d("2025-05-10")),
            },
            PeriodRecord {
                period: "2025-05".into(),
                published_on: Some(d("2025-06-10")),
            },
        ];
        let s = score(&items, &[a]);
        assert_eq!(s.items[0].points_milli, 700, "(1 + 0.5 + 0 + 1 + 1) / 5");
        assert!(
            s.items[0]
                .explanation
                .contains("应公开 5 期，按时 3 期，逾期 1 期，缺 1 期，×0.7")
        );
        assert_eq!(s.indicators.on_time, Ratio { num: 3, den: 5 });
    }

    #[test]
    fn a_periodic_factor_is_rounded_once_at_the_end() {
        let items = [item(
            "1214",
            "公共卫生服务",
            2,
            TimeLimit::Periodic {
                period: Period::Monthly,
                due: DueRule::EndOfFollowingPeriod,
            },
        )];
        let mut a = answer("1214", AnswerStatus::Disclosed);
        a.periods = [("2025-01", "2025-02-10"), ("2025-02", "2025-03-10")]
            .iter()
            .map(|(p, on)| PeriodRecord {
                period: (*p).into(),
                published_on: Some(d(on)),
            })
            .collect();
        // January to March are due by 30 April: 2 of 3 published on time.
        let s = score_as_of(&items, &[a], "2025-04-30");
        // 2 × 2/3 = 1.3333…: 1.333, not 2 × 0.667 = 1.334.
        assert_eq!(s.items[0].points_milli, 1333, "{}", s.items[0].explanation);
        assert!(
            s.items[0]
                .explanation
                .contains("应公开 3 期，按时 2 期，逾期 0 期，缺 1 期，×0.667"),
            "{}",
            s.items[0].explanation
        );
    }

    #[test]
    fn not_applicable_leaves_the_maximum_and_a_failed_veto_caps_the_assignment() {
        let mut veto = item(
            "0108",
            "政策文件",
            3,
            TimeLimit::Annual { month: 1, day: 31 },
        );
        veto.veto = true;
        let items = [
            item("0101", "政策文件", 1, TimeLimit::None),
            item("0201", "行政许可", 1, TimeLimit::None),
            veto,
        ];
        let mut na = answer("0201", AnswerStatus::NotApplicable);
        na.na_reason = Some("本县无此许可".into());
        let good = answer("0101", AnswerStatus::Disclosed);
        let s = score(&items, &[good.clone(), na.clone()]);
        assert_eq!((s.total_milli, s.max_milli), (1000, 4000));
        assert!(s.veto_failed);
        assert_eq!(s.percent_milli, 25_000, "below the cap anyway");
        assert_eq!(s.grade, Grade::Fail);
        assert!(
            s.items[2].explanation.contains("未填写")
                && s.items[2].explanation.contains("单项否决")
        );
        assert!(!s.items[1].applicable && s.items[1].explanation == "不适用：本县无此许可");

        let mut report = answer("0108", AnswerStatus::Disclosed);
        report.published_on = Some(d("2025-01-20"));
        let s = score(&items, &[good, na, report]);
        assert_eq!(
            (s.total_milli, s.max_milli, s.percent_milli),
            (4000, 4000, 100_000)
        );
        assert_eq!(s.grade, Grade::Excellent);
        assert_eq!(
            s.categories
                .iter()
                .map(|c| (c.name.as_str(), c.points_milli, c.max_milli))
                .collect::<Vec<_>>(),
            [("政策文件", 4000, 4000)]
        );
        assert_eq!(s.indicators.disclosure, Ratio { num: 2, den: 2 });
    }

    #[test]
    fn the_veto_cap_applies_to_a_high_score() {
        let mut veto = item("0302", "行政处罚", 1, TimeLimit::None);
        veto.veto = true;
        let mut items: Vec<Item> = (0..20)
            .map(|i| item(&format!("{i:04}"), "政策文件", 1, TimeLimit::None))
            .collect();
        items.push(veto);
        let mut answers: Vec<Answer> = (0..20)
            .map(|i| answer(&format!("{i:04}"), AnswerStatus::Disclosed))
            .collect();
        answers.push(answer("0302", AnswerStatus::NotDisclosed));
        let s = score(&items, &answers);
        assert_eq!(s.total_milli * 100_000 / s.max_milli, 95_238);
        assert_eq!(s.percent_milli, 59_000, "capped at 59");
        assert_eq!(s.grade, Grade::Fail);
        assert_eq!(score(&items, &answers), s, "same inputs, same score");
    }
}

#[cfg(test)]
mod golden_and_properties {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::catalogue::{Audience, Channel, DisclosureMode};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item(code: u32, weight: u32, veto: bool, interpretation: bool) -> Item {
        Item {
            code: format!("{code:04}"),
            category: vec![format!("类{}", code % 3)],
            title: format!("事项{code}"),
            content: vec![],
            basis: String::new(),
            time_limit: TimeLimit::WorkingDays { days: 20 },
            time_limit_text: String::new(),
            body: String::new(),
            audience: Audience::Public,
            mode: DisclosureMode::Proactive,
            levels: vec![],
            channels: [Channel::Website, Channel::NewMedia].into(),
            needs_interpretation: interpretation,
            evidence_required: false,
            weight_milli: weight,
            veto,
        }
    }

    /// An answer from small numbers: status 0–3, days late (0 = on time), channels used
    /// (0–2), interpretation delay (None = missing).
    fn answer(
        code: &str,
        status: u8,
        late_days: u32,
        channels: u8,
        interpretation: Option<u32>,
    ) -> Answer {
        let formed = d("2025-03-03");
        let deadline = d("2025-03-31");
        Answer {
            item_code: code.into(),
            status: [
                AnswerStatus::Disclosed,
                AnswerStatus::Partial,
                AnswerStatus::NotDisclosed,
                AnswerStatus::NotApplicable,
            ][status as usize % 4],
            na_reason: Some("理由".into()),
            formed_on: Some(formed),
            published_on: Some(deadline + chrono::Duration::days(late_days as i64)),
            channels: [Channel::Website, Channel::NewMedia]
                .into_iter()
                .take(channels as usize)
                .collect(),
            evidence_urls: vec![],
            interpretation_on: interpretation.map(|n| deadline + chrono::Duration::days(n as i64)),
            interpretation_forms: BTreeSet::new(),
            note: None,
            periods: vec![],
        }
    }

    fn score(items: &[Item], answers: &[Answer]) -> AssignmentScore {
        let calendar = Calendar::builtin();
        let policy = ScoringPolicy::default();
        score_assignment(&ScoringInput {
            items,
            answers,
            policy: &policy,
            calendar: &calendar,
            period_start: d("2025-01-01"),
            period_end: d("2025-12-31"),
            as_of: d("2025-12-31"),
        })
    }

    #[test]
    fn golden_holidays_and_make_up_days_move_the_deadline() {
        // Formed on Friday 26 September 2025: the 8-day National Day holiday and the
        // make-up Sunday 28 September and Saturday 11 October both count.
        // Working days: 28/9 (Sun, make-up), 29/9, 30/9, 9/10, 10/10, 11/10 (Sat, make-up) = 6.
        let calendar = Calendar::builtin();
        assert_eq!(
            calendar.add_working_days(d("2025-09-26"), 6).unwrap(),
            d("2025-10-11")
        );
        let mut it = item(1, 1000, false, false);
        it.time_limit = TimeLimit::WorkingDays { days: 6 };
        it.channels = [Channel::Website].into();
        let mut a = answer("0001", 0, 0, 1, None);
        a.formed_on = Some(d("2025-09-26"));
        a.published_on = Some(d("2025-10-11"));
        assert_eq!(
            score(&[it.clone()], &[a.clone()]).items[0].points_milli,
            1000,
            "on the make-up Saturday: on time"
        );
        a.published_on = Some(d("2025-10-13"));
        assert_eq!(
            score(&[it], &[a]).items[0].points_milli,
            500,
            "the Monday after: late"
        );
    }

    #[test]
    fn golden_interpretation_on_time_late_and_missing() {
        let it = item(1, 1000, false, true);
        // Document published 31 March (Monday); interpretation 3 working days later is on time.
        let on_time = answer("0001", 0, 0, 2, Some(3));
        let late = answer("0001", 0, 0, 2, Some(7));
        let missing = answer("0001", 0, 0, 2, None);
        assert_eq!(
            score(std::slice::from_ref(&it), &[on_time]).items[0].points_milli,
            1000
        );
        assert_eq!(
            score(std::slice::from_ref(&it), &[late]).items[0].points_milli,
            750
        );
        assert_eq!(score(&[it], &[missing]).items[0].points_milli, 500);
    }

    /// (status, days late, channels used, interpretation delay) per item.
    type AnswerSpec = (u8, u32, u8, Option<u32>);

    fn arb_case() -> impl Strategy<Value = (Vec<Item>, Vec<AnswerSpec>)> {
        proptest::collection::vec((1u32..5000, any::<bool>(), any::<bool>()), 1..12).prop_flat_map(
            |specs| {
                let items: Vec<Item> = specs
                    .iter()
                    .enumerate()
                    .map(|(i, (w, veto, interp))| item(i as u32 + 1, *w, *veto && i == 0, *interp))
                    .collect();
                let n = items.len();
                (
                    Just(items),
                    proptest::collection::vec(
                        (0u8..4, 0u32..10, 0u8..3, proptest::option::of(0u32..10)),
                        n,
                    ),
                )
            },
        )
    }

    proptest! {
        #[test]
        fn the_order_of_answers_does_not_matter((items, specs) in arb_case()) {
            let answers: Vec<Answer> = items.iter().zip(&specs).map(|(i, s)| answer(&i.code, s.0, s.1, s.2, s.3)).collect();
            let mut reversed = answers.clone();
            reversed.reverse();
            prop_assert_eq!(score(&items, &answers), score(&items, &reversed));
        }

        #[test]
        fn improving_one_answer_never_lowers_the_assignment((items, specs) in arb_case(), pick in any::<prop::sample::Index>()) {
            let answers: Vec<Answer> = items.iter().zip(&specs).map(|(i, s)| answer(&i.code, s.0, s.1, s.2, s.3)).collect();
            let k = pick.index(answers.len());
            if answers[k].status == AnswerStatus::NotApplicable {
                return Ok(());
            }
            // Disclose it fully, on time, on every channel, interpreted at once.
            let mut better = answers.clone();
            better[k] = answer(&items[k].code, 0, 0, 2, Some(0));
            let (before, after) = (score(&items, &answers), score(&items, &better));
            prop_assert!(after.total_milli >= before.total_milli);
            prop_assert!(after.percent_milli >= before.percent_milli, "{} → {}", before.percent_milli, after.percent_milli);
        }
    }
}
