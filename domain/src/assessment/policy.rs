//! A round's scoring policy: DOMAIN.md §4's defaults, every number editable. Factors
//! are in thousandths so that scoring stays in exact integer arithmetic.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoringPolicy {
    /// Status factors (‰): 已公开, 部分公开, 未公开.
    pub disclosed: u32,
    pub partial: u32,
    pub not_disclosed: u32,
    /// Factor (‰) for a late publication.
    pub late: u32,
    /// Deduction (‰) per required channel not used.
    pub missing_channel: u32,
    /// Interpretation factors (‰): within the window, later, missing.
    pub interpretation_on_time: u32,
    pub interpretation_late: u32,
    pub interpretation_missing: u32,
    /// Working days after the document within which the interpretation is on time.
    pub interpretation_window_days: u32,
    /// Grade thresholds in percent: 优秀, 良好, 合格.
    pub excellent: u32,
    pub good: u32,
    pub pass: u32,
    /// Percent cap when a veto item is not disclosed.
    pub veto_cap: u32,
    /// Roll-up weights (‰): the bureau's own checklist, its direct institutions, its
    /// sub-regions.
    pub own_weight: u32,
    pub institutions_weight: u32,
    pub subregions_weight: u32,
    /// Indicator target in percent (on-time rate, non-text interpretation, multi-channel).
    pub indicator_target: u32,
}

impl Default for ScoringPolicy {
    fn default() -> Self {
        Self {
            disclosed: 1000,
            partial: 500,
            not_disclosed: 0,
            late: 500,
            missing_channel: 250,
            interpretation_on_time: 1000,
            interpretation_late: 750,
            interpretation_missing: 500,
            interpretation_window_days: 3,
            excellent: 90,
            good: 80,
            pass: 60,
            veto_cap: 59,
            own_weight: 400,
            institutions_weight: 200,
            subregions_weight: 400,
            indicator_target: 90,
        }
    }
}

impl ScoringPolicy {
    /// What is wrong with an edited policy, as (field, message).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let per_mille = [
            ("disclosed", self.disclosed),
            ("partial", self.partial),
            ("notDisclosed", self.not_disclosed),
            ("late", self.late),
            ("missingChannel", self.missing_channel),
            ("interpretationOnTime", self.interpretation_on_time),
            ("interpretationLate", self.interpretation_late),
            ("interpretationMissing", self.interpretation_missing),
        ];
        for (field, value) in per_mille {
            if value > 1000 {
                out.push((field, "系数应在 0 到 1000（‰）之间".to_owned()));
            }
        }
        if !(self.pass <= self.good && self.good <= self.excellent && self.excellent <= 100) {
            out.push((
                "excellent",
                "等级分数线应满足 合格 ≤ 良好 ≤ 优秀 ≤ 100".to_owned(),
            ));
        }
        if self.veto_cap > 100 {
            out.push(("vetoCap", "否决封顶分应在 0 到 100 之间".to_owned()));
        }
        if self.own_weight + self.institutions_weight + self.subregions_weight == 0 {
            out.push(("ownWeight", "汇总权重不能全为 0".to_owned()));
        }
        if self.interpretation_window_days > 60 {
            out.push((
                "interpretationWindowDays",
                "解读时限应在 0 到 60 个工作日之间".to_owned(),
            ));
        }
        out
    }
}
