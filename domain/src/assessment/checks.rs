//! What an answer must satisfy: lightly while drafting (nothing that could not be
//! true), strictly on submission (DOMAIN.md §4: what the score needs is there).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Answer, AnswerStatus};
use crate::catalogue::{Item, TimeLimit};

/// One problem with one field of one item's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerProblem {
    pub item_code: String,
    /// The `AnswerInput` field, e.g. `publishedOn`.
    pub field: &'static str,
    pub message: String,
}

pub const MAX_NOTE: usize = 2000;
pub const MAX_REASON: usize = 500;
pub const MAX_URL: usize = 2000;
pub const MAX_URLS: usize = 20;
pub const MAX_PERIODS: usize = 60;

fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !r.chars().any(char::is_whitespace)
    })
}

/// Checks a draft answer: no future dates, published on or after formed, http(s) URLs,
/// a reason for 不适用, bounded lengths.
pub fn check_draft(answer: &Answer, today: NaiveDate) -> Vec<AnswerProblem> {
    let mut out = Vec::new();
    let mut problem = |field, message: String| {
        out.push(AnswerProblem {
            item_code: answer.item_code.clone(),
            field,
            message,
        })
    };
    for (field, date) in [
        ("formedOn", answer.formed_on),
        ("publishedOn", answer.published_on),
        ("interpretationOn", answer.interpretation_on),
    ] {
        if let Some(date) = date
            && date > today
        {
            problem(field, format!("日期 {date} 晚于今天"));
        }
    }
    if let (Some(formed), Some(published)) = (answer.formed_on, answer.published_on)
        && published < formed
    {
        problem(
            "publishedOn",
            format!("公开日期 {published} 早于形成日期 {formed}"),
        );
    }
    if answer.status == AnswerStatus::NotApplicable
        && answer
            .na_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        problem("naReason", "选择“不适用”时须说明理由".into());
    }
    if answer
        .na_reason
        .as_deref()
        .is_some_and(|r| r.chars().count() > MAX_REASON)
    {
        problem("naReason", format!("理由不超过 {MAX_REASON} 字"));
    }
    if answer
        .note
        .as_deref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE)
    {
        problem("note", format!("备注不超过 {MAX_NOTE} 字"));
    }
    if answer.evidence_urls.len() > MAX_URLS {
        problem("evidenceUrls", format!("佐证链接最多 {MAX_URLS} 个"));
    }
    for url in &answer.evidence_urls {
        if url.len() > MAX_URL || !is_http_url(url.trim()) {
            problem(
                "evidenceUrls",
                format!(
                    "“{}”不是有效的 http(s) 链接",
                    url.chars().take(80).collect::<String>()
                ),
            );
        }
    }
    if answer.periods.len() > MAX_PERIODS {
        problem("periods", format!("期次最多 {MAX_PERIODS} 个"));
    }
    for record in &answer.periods {
        if let Some(date) = record.published_on
            && date > today
        {
            problem(
                "periods",
                format!("{} 的公开日期 {date} 晚于今天", record.period),
            );
        }
    }
    out
}

/// Checks a checklist for submission: every item answered; for 已公开/部分公开 the
/// dates its time limit needs, at least one channel, and evidence where the item asks
/// for it. `evidence_files` counts uploaded files per item code.
pub fn check_submission(
    items: &[Item],
    answers: &[Answer],
    evidence_files: &HashMap<String, usize>,
) -> Vec<AnswerProblem> {
    let by_code: HashMap<&str, &Answer> =
        answers.iter().map(|a| (a.item_code.as_str(), a)).collect();
    let mut out = Vec::new();
    for item in items {
        let mut problem = |field, message: String| {
            out.push(AnswerProblem {
                item_code: item.code.clone(),
                field,
                message: format!("{} {}：{message}", item.code, item.title),
            })
        };
        let Some(answer) = by_code.get(item.code.as_str()) else {
            problem("status", "尚未填写".into());
            continue;
        };
        if !answer.status.is_disclosed() {
            continue;
        }
        match item.time_limit {
            TimeLimit::WorkingDays { .. } => {
                if answer.formed_on.is_none() {
                    problem("formedOn", "请填写信息形成（变更）日期".into());
                }
                if answer.published_on.is_none() {
                    problem("publishedOn", "请填写公开日期".into());
                }
            }
            TimeLimit::Realtime | TimeLimit::Annual { .. } => {
                if answer.published_on.is_none() {
                    problem("publishedOn", "请填写公开日期".into());
                }
            }
            TimeLimit::Periodic { .. } => {
                if answer.periods.is_empty() {
                    problem("periods", "请逐期填写公开日期".into());
                } else if answer.periods.iter().any(|p| p.published_on.is_none()) {
                    problem(
                        "periods",
                        "每一期都须填写公开日期（未公开的期次请删除）".into(),
                    );
                }
            }
            TimeLimit::None => {}
        }
        if answer.channels.is_empty() {
            problem("channels", "请至少选择一个公开渠道".into());
        }
        let files = evidence_files.get(item.code.as_str()).copied().unwrap_or(0);
        if item.evidence_required && answer.evidence_urls.is_empty() && files == 0 {
            problem("evidenceUrls", "本事项须提供佐证（链接或文件）".into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::catalogue::{Audience, Channel, DisclosureMode};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn answer(code: &str, status: AnswerStatus) -> Answer {
        Answer {
            item_code: code.into(),
            status,
            na_reason: None,
            formed_on: None,
            published_on: None,
            channels: BTreeSet::new(),
            evidence_urls: vec![],
            interpretation_on: None,
            interpretation_forms: BTreeSet::new(),
            note: None,
            periods: vec![],
        }
    }

    fn item(code: &str, time_limit: TimeLimit, evidence: bool) -> Item {
        Item {
            code: code.into(),
            category: vec![],
            title: "事项".into(),
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
            evidence_required: evidence,
            weight_milli: 1000,
            veto: false,
        }
    }

    #[test]
    fn drafts_refuse_only_what_cannot_be_true() {
        let today = d("2025-06-30");
        let mut a = answer("0101", AnswerStatus::Disclosed);
        assert!(check_draft(&a, today).is_empty(), "an empty draft is fine");
        a.formed_on = Some(d("2025-06-10"));
        a.published_on = Some(d("2025-06-01"));
        a.interpretation_on = Some(d("2025-07-01"));
        a.evidence_urls = vec![
            "ftp://example.org/x".into(),
            "https://www.ln.gov.cn/a".into(),
        ];
        let fields: Vec<&str> = check_draft(&a, today).iter().map(|p| p.field).collect();
        assert_eq!(fields, ["interpretationOn", "publishedOn", "evidenceUrls"]);
        let na = answer("0102", AnswerStatus::NotApplicable);
        assert_eq!(check_draft(&na, today)[0].field, "naReason");
    }

    #[test]
    fn submission_needs_what_the_score_needs() {
        let items = vec![
            item("0101", TimeLimit::WorkingDays { days: 20 }, true),
            item("0102", TimeLimit::Realtime, false),
            item("0103", TimeLimit::WorkingDays { days: 20 }, false),
            item("0104", TimeLimit::WorkingDays { days: 20 }, false),
        ];
        let mut first = answer("0101", AnswerStatus::Disclosed);
        first.formed_on = Some(d("2025-03-03"));
        let not_disclosed = answer("0102", AnswerStatus::NotDisclosed);
        let mut na = answer("0103", AnswerStatus::NotApplicable);
        na.na_reason = Some("本县无此类事项".into());
        let problems =
            check_submission(&items, &[first.clone(), not_disclosed, na], &HashMap::new());
        let listed: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| (p.item_code.as_str(), p.field))
            .collect();
        assert_eq!(
            listed,
            [
                ("0101", "publishedOn"),
                ("0101", "channels"),
                ("0101", "evidenceUrls"),
                ("0104", "status")
            ]
        );
        assert!(problems[0].message.starts_with("0101 事项："));

        first.published_on = Some(d("2025-03-20"));
        first.channels = [Channel::Website].into();
        let files = HashMap::from([("0101".to_owned(), 1)]);
        let problems = check_submission(&items[..1], &[first], &files);
        assert!(
            problems.is_empty(),
            "an uploaded file is evidence: {problems:?}"
        );
    }
}
