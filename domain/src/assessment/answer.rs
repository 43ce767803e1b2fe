//! A filler's answer for one catalogue item (API.md `AnswerInput`).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalogue::Channel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AnswerStatus {
    /// 已公开
    Disclosed,
    /// 部分公开
    Partial,
    /// 未公开
    NotDisclosed,
    /// 不适用 (needs a reason; leaves the item out of points and maximum)
    NotApplicable,
}

impl AnswerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerStatus::Disclosed => "DISCLOSED",
            AnswerStatus::Partial => "PARTIAL",
            AnswerStatus::NotDisclosed => "NOT_DISCLOSED",
            AnswerStatus::NotApplicable => "NOT_APPLICABLE",
        }
    }
    pub fn parse(s: &str) -> Option<AnswerStatus> {
        [
            AnswerStatus::Disclosed,
            AnswerStatus::Partial,
            AnswerStatus::NotDisclosed,
            AnswerStatus::NotApplicable,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            AnswerStatus::Disclosed => "已公开",
            AnswerStatus::Partial => "部分公开",
            AnswerStatus::NotDisclosed => "未公开",
            AnswerStatus::NotApplicable => "不适用",
        }
    }
    /// Disclosed in whole or in part: the dates and channels then matter.
    pub fn is_disclosed(self) -> bool {
        matches!(self, AnswerStatus::Disclosed | AnswerStatus::Partial)
    }
}

/// Forms of a policy interpretation (政策解读); all but TEXT count as non-text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InterpretationForm {
    Text,
    Graphic,
    Video,
    Audio,
    Animation,
    QAndA,
    MediaInterview,
}

impl InterpretationForm {
    pub const ALL: [InterpretationForm; 7] = [
        InterpretationForm::Text,
        InterpretationForm::Graphic,
        InterpretationForm::Video,
        InterpretationForm::Audio,
        InterpretationForm::Animation,
        InterpretationForm::QAndA,
        InterpretationForm::MediaInterview,
    ];

    /// The code as serialised and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            InterpretationForm::Text => "TEXT",
            InterpretationForm::Graphic => "GRAPHIC",
            InterpretationForm::Video => "VIDEO",
            InterpretationForm::Audio => "AUDIO",
            InterpretationForm::Animation => "ANIMATION",
            InterpretationForm::QAndA => "Q_AND_A",
            InterpretationForm::MediaInterview => "MEDIA_INTERVIEW",
        }
    }

    pub fn parse(code: &str) -> Option<InterpretationForm> {
        InterpretationForm::ALL
            .into_iter()
            .find(|f| f.as_str() == code)
    }
}

/// One publication of a periodic item (monthly, quarterly, yearly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRecord {
    /// `2025-03` (month), `2025-Q1` (quarter) or `2025` (year).
    pub period: String,
    pub published_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub item_code: String,
    pub status: AnswerStatus,
    pub na_reason: Option<String>,
    /// The day the information was formed or changed.
    pub formed_on: Option<NaiveDate>,
    /// The day it was disclosed.
    pub published_on: Option<NaiveDate>,
    pub channels: BTreeSet<Channel>,
    pub evidence_urls: Vec<String>,
    /// For policy documents: when the interpretation was published.
    pub interpretation_on: Option<NaiveDate>,
    pub interpretation_forms: BTreeSet<InterpretationForm>,
    pub note: Option<String>,
    #[serde(default)]
    pub periods: Vec<PeriodRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_codes_are_the_serialised_names() {
        for form in InterpretationForm::ALL {
            let json = serde_json::to_value(form).unwrap();
            assert_eq!(json.as_str(), Some(form.as_str()));
            assert_eq!(InterpretationForm::parse(form.as_str()), Some(form));
        }
        assert_eq!(InterpretationForm::parse("q_and_a"), None);
    }
}
