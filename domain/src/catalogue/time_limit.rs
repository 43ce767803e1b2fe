//! Time limits (公开时限) as data, and reading them from the catalogue's own wording.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Monthly,
    Quarterly,
    Yearly,
}

impl Period {
    fn label(self) -> &'static str {
        match self {
            Period::Monthly => "月",
            Period::Quarterly => "季度",
            Period::Yearly => "年",
        }
    }
    fn code(self) -> &'static str {
        match self {
            Period::Monthly => "monthly",
            Period::Quarterly => "quarterly",
            Period::Yearly => "yearly",
        }
    }
}

/// When a periodic item's publication for a period is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueRule {
    /// By the last day of the following period (the default).
    EndOfFollowingPeriod,
    /// By the given day of the following period (每月10日前 → 10).
    DayOfFollowingPeriod(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TimeLimit {
    /// No deadline (e.g. 长期公开, or the catalogue gives none).
    None,
    /// 实时: as soon as it exists.
    Realtime,
    /// N working days from the day the information is formed or changed (not counted).
    WorkingDays { days: u32 },
    /// Once per period.
    Periodic { period: Period, due: DueRule },
    /// A fixed date each year for the previous year (年度报告: 1 月 31 日).
    Annual { month: u32, day: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeLimitError {
    #[error(
        "无法识别的公开时限“{0}”（可在“时限规则”列给出，如 working_days:20、monthly、annual:01-31）"
    )]
    Unreadable(String),
    /// A number with a unit that is not 工作日 ("七个工做日", "7日内", "15天"): a typo
    /// must not loosen a legal limit to the default.
    #[error(
        "公开时限“{text}”中的“{snippet}”无法识别：应写作“N个工作日内”（如“7个工作日内”），或在“时限规则”列给出 working_days:N"
    )]
    UnreadableCount { text: String, snippet: String },
    /// Wording about when information is formed or changed, or about working days,
    /// without a number of days.
    #[error(
        "公开时限“{0}”未写明工作日数：应写作“N个工作日内”，或在“时限规则”列给出规则（如 working_days:20）"
    )]
    NoCount(String),
    #[error("公开时限的工作日数应在 1 到 365 之间")]
    DaysOutOfRange,
    #[error("公开时限的日期 {0} 月 {1} 日不存在")]
    BadDate(u32, u32),
}

/// Digits or simple Chinese numerals (七, 十五, 二十) at the start of `s`, and the rest.
fn leading_number(s: &str) -> Option<(u32, &str)> {
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        return Some((digits.parse().ok()?, &s[digits.len()..]));
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let mut value = 0;
    let mut current = 0;
    let mut used = 0;
    for c in s.chars() {
        if let Some(d) = digit(c).or((c == '两').then_some(2)) {
            current = d;
        } else if c == '十' {
            value += if current == 0 { 10 } else { current * 10 };
            current = 0;
        } else {
            break;
        }
        used += c.len_utf8();
    }
    (used > 0).then(|| (value + current, &s[used..]))
}

/// Finds "N个工作日" (or "N工作日") anywhere in the text.
fn working_days(text: &str) -> Option<u32> {
    text.char_indices().find_map(|(i, _)| {
        let (n, rest) = leading_number(&text[i..])?;
        let rest = rest.trim_start_matches('个');
        rest.starts_with("工作日").then_some(n)
    })
}

/// Finds "X月Y日" in the text.
fn month_day(text: &str) -> Option<(u32, u32)> {
    text.char_indices().find_map(|(i, _)| {
        let (month, rest) = leading_number(&text[i..])?;
        let rest = rest.strip_prefix('月')?;
        let (day, rest) = leading_number(rest)?;
        (rest.starts_with('日') || rest.starts_with('号')).then_some((month, day))
    })
}

/// The first number followed, within a few characters, by a day unit other than
/// 工作日: "七个工做日", "7日", "15天". Periodic and annual wordings are read before this.
fn unreadable_count(text: &str) -> Option<String> {
    text.char_indices().find_map(|(i, _)| {
        let (_, rest) = leading_number(&text[i..])?;
        let unit: String = rest.chars().take(4).collect();
        let end = unit.find(['日', '天'])?;
        let number_len = text[i..].len() - rest.len();
        Some(text[i..i + number_len + end + '日'.len_utf8()].to_owned())
    })
}

fn has_numeral(text: &str) -> bool {
    text.char_indices()
        .any(|(i, _)| leading_number(&text[i..]).is_some())
}

fn check_date(month: u32, day: u32) -> Result<(), TimeLimitError> {
    let days_in = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day == 0 || day > days_in[month as usize - 1] {
        return Err(TimeLimitError::BadDate(month, day));
    }
    Ok(())
}

impl TimeLimit {
    /// Reads the catalogue's wording: "自信息形成或者变更之日起20个工作日内予以公开",
    /// "7个工作日内", "实时", "每月", "按季度", "每年1月31日前", …
    pub fn from_wording(text: &str) -> Result<TimeLimit, TimeLimitError> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let unreadable = || TimeLimitError::Unreadable(text.trim().to_owned());
        if t.is_empty()
            || ["无", "不适用", "长期", "常态"]
                .iter()
                .any(|w| t.starts_with(w))
        {
            return Ok(TimeLimit::None);
        }
        if let Some(days) = working_days(&t) {
            if !(1..=365).contains(&days) {
                return Err(TimeLimitError::DaysOutOfRange);
            }
            return Ok(TimeLimit::WorkingDays { days });
        }
        if t.contains("实时") || t.contains("即时") {
            return Ok(TimeLimit::Realtime);
        }
        let yearly = t.contains("每年") || t.contains("年度") || t.contains("按年");
        if yearly && let Some((month, day)) = month_day(&t) {
            check_date(month, day)?;
            return Ok(TimeLimit::Annual { month, day });
        }
        let period = if t.contains("每月") || t.contains("按月") || t.contains("月度") {
            Some(Period::Monthly)
        } else if t.contains("季度") || t.contains("每季") {
            Some(Period::Quarterly)
        } else if yearly {
            Some(Period::Yearly)
        } else {
            None
        };
        if let Some(period) = period {
            // "每月10日前" sets the day of the following period.
            let due = t
                .char_indices()
                .find_map(|(i, _)| {
                    let (day, rest) = leading_number(&t[i..])?;
                    (rest.starts_with('日') && (1..=31).contains(&day)).then_some(day)
                })
                .map_or(DueRule::EndOfFollowingPeriod, DueRule::DayOfFollowingPeriod);
            return Ok(TimeLimit::Periodic { period, due });
        }
        if let Some(snippet) = unreadable_count(&t) {
            return Err(TimeLimitError::UnreadableCount {
                text: text.trim().to_owned(),
                snippet,
            });
        }
        // 条例第二十六条 sets 20 working days for "及时"; only a wording with no number
        // at all takes it, so that a misspelt count is never read as the default.
        if t.contains("及时") && !has_numeral(&t) {
            return Ok(TimeLimit::WorkingDays { days: 20 });
        }
        let looks_like_a_limit = ["形成", "变更", "工作日", "日内", "天内"]
            .iter()
            .any(|w| t.contains(w));
        if looks_like_a_limit {
            return Err(TimeLimitError::NoCount(text.trim().to_owned()));
        }
        Err(unreadable())
    }

    /// The machine form used in the "时限规则" column and in storage:
    /// `none`, `realtime`, `working_days:20`, `monthly`, `monthly:10`, `annual:01-31`.
    pub fn code(&self) -> String {
        match self {
            TimeLimit::None => "none".into(),
            TimeLimit::Realtime => "realtime".into(),
            TimeLimit::WorkingDays { days } => format!("working_days:{days}"),
            TimeLimit::Periodic {
                period,
                due: DueRule::EndOfFollowingPeriod,
            } => period.code().into(),
            TimeLimit::Periodic {
                period,
                due: DueRule::DayOfFollowingPeriod(day),
            } => format!("{}:{day}", period.code()),
            TimeLimit::Annual { month, day } => format!("annual:{month:02}-{day:02}"),
        }
    }

    pub fn from_code(code: &str) -> Result<TimeLimit, TimeLimitError> {
        let code = code.trim();
        let unreadable = || TimeLimitError::Unreadable(code.to_owned());
        let (head, arg) = code
            .split_once(':')
            .map_or((code, None), |(h, a)| (h, Some(a)));
        let number = |a: Option<&str>| a.and_then(|a| a.parse::<u32>().ok()).ok_or_else(unreadable);
        let periodic = |period| -> Result<TimeLimit, TimeLimitError> {
            let due = match arg {
                None => DueRule::EndOfFollowingPeriod,
                Some(_) => DueRule::DayOfFollowingPeriod(number(arg)?),
            };
            Ok(TimeLimit::Periodic { period, due })
        };
        match head {
            "none" => Ok(TimeLimit::None),
            "realtime" => Ok(TimeLimit::Realtime),
            "working_days" => {
                let days = number(arg)?;
                if !(1..=365).contains(&days) {
                    return Err(TimeLimitError::DaysOutOfRange);
                }
                Ok(TimeLimit::WorkingDays { days })
            }
            "monthly" => periodic(Period::Monthly),
            "quarterly" => periodic(Period::Quarterly),
            "yearly" => periodic(Period::Yearly),
            "annual" => {
                let (m, d) = arg.and_then(|a| a.split_once('-')).ok_or_else(unreadable)?;
                let (month, day) = (number(Some(m))?, number(Some(d))?);
                check_date(month, day)?;
                Ok(TimeLimit::Annual { month, day })
            }
            _ => Err(unreadable()),
        }
    }
}

/// The wording Touming writes when it has only the rule.
impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeLimit::None => f.write_str("无固定时限"),
            TimeLimit::Realtime => f.write_str("实时公开"),
            TimeLimit::WorkingDays { days } => {
                write!(f, "自信息形成或者变更之日起{days}个工作日内")
            }
            TimeLimit::Periodic {
                period,
                due: DueRule::EndOfFollowingPeriod,
            } => write!(f, "每{}公开（次{}结束前）", period.label(), period.label()),
            TimeLimit::Periodic {
                period,
                due: DueRule::DayOfFollowingPeriod(day),
            } => write!(
                f,
                "每{}公开（次{}{day}日前）",
                period.label(),
                period.label()
            ),
            TimeLimit::Annual { month, day } => write!(f, "每年{month}月{day}日前"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> TimeLimit {
        TimeLimit::from_wording(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn catalogue_wordings_become_rules() {
        assert_eq!(
            read("自信息形成或者变更之日起20个工作日内予以公开"),
            TimeLimit::WorkingDays { days: 20 }
        );
        assert_eq!(read("7个工作日内"), TimeLimit::WorkingDays { days: 7 });
        assert_eq!(
            read("自作出行政决定之日起七个工作日内"),
            TimeLimit::WorkingDays { days: 7 }
        );
        assert_eq!(read("二十个工作日内"), TimeLimit::WorkingDays { days: 20 });
        assert_eq!(read("实时"), TimeLimit::Realtime);
        assert_eq!(
            read("每月"),
            TimeLimit::Periodic {
                period: Period::Monthly,
                due: DueRule::EndOfFollowingPeriod
            }
        );
        assert_eq!(
            read("按季度"),
            TimeLimit::Periodic {
                period: Period::Quarterly,
                due: DueRule::EndOfFollowingPeriod
            }
        );
        assert_eq!(
            read("每月10日前公开上月情况"),
            TimeLimit::Periodic {
                period: Period::Monthly,
                due: DueRule::DayOfFollowingPeriod(10)
            }
        );
        assert_eq!(
            read("每年1月31日前"),
            TimeLimit::Annual { month: 1, day: 31 }
        );
        assert_eq!(
            read("每年一月三十一日前"),
            TimeLimit::Annual { month: 1, day: 31 }
        );
        assert_eq!(
            read("每年"),
            TimeLimit::Periodic {
                period: Period::Yearly,
                due: DueRule::EndOfFollowingPeriod
            }
        );
        assert_eq!(
            read("信息形成或者变更后及时公开"),
            TimeLimit::WorkingDays { days: 20 }
        );
        assert_eq!(read("长期公开"), TimeLimit::None);
        assert_eq!(read(""), TimeLimit::None);
    }

    #[test]
    fn a_misspelt_or_missing_count_is_an_error_not_the_default() {
        assert_eq!(
            TimeLimit::from_wording("自信息形成或者变更之日起七个工做日内予以公开"),
            Err(TimeLimitError::UnreadableCount {
                text: "自信息形成或者变更之日起七个工做日内予以公开".into(),
                snippet: "七个工做日".into(),
            })
        );
        assert!(matches!(
            TimeLimit::from_wording("自作出决定之日起7日内"),
            Err(TimeLimitError::UnreadableCount { snippet, .. }) if snippet == "7日"
        ));
        assert!(matches!(
            TimeLimit::from_wording("15天内公开"),
            Err(TimeLimitError::UnreadableCount { snippet, .. }) if snippet == "15天"
        ));
        assert!(matches!(
            TimeLimit::from_wording("自信息形成或者变更之日起予以公开"),
            Err(TimeLimitError::NoCount(_))
        ));
        assert!(matches!(
            TimeLimit::from_wording("若干个工作日内"),
            Err(TimeLimitError::NoCount(_))
        ));
        assert!(matches!(
            TimeLimit::from_wording("七个工做日内及时公开"),
            Err(TimeLimitError::UnreadableCount { .. })
        ));
        // A trailing clause next to a readable count is fine.
        assert_eq!(
            read("自信息形成或者变更之日起7个工作日内公开，法律法规另有规定的从其规定"),
            TimeLimit::WorkingDays { days: 7 }
        );
        let message = TimeLimit::from_wording("七个工做日内")
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("“七个工做日”") && message.contains("N个工作日"),
            "{message}"
        );
    }

    #[test]
    fn unreadable_wording_is_an_error() {
        assert!(matches!(
            TimeLimit::from_wording("看情况"),
            Err(TimeLimitError::Unreadable(_))
        ));
        assert_eq!(
            TimeLimit::from_wording("每年2月30日前"),
            Err(TimeLimitError::BadDate(2, 30))
        );
        assert_eq!(
            TimeLimit::from_wording("0个工作日"),
            Err(TimeLimitError::DaysOutOfRange)
        );
    }

    #[test]
    fn codes_round_trip() {
        for rule in [
            TimeLimit::None,
            TimeLimit::Realtime,
            TimeLimit::WorkingDays { days: 7 },
            TimeLimit::Periodic {
                period: Period::Monthly,
                due: DueRule::EndOfFollowingPeriod,
            },
            TimeLimit::Periodic {
                period: Period::Quarterly,
                due: DueRule::DayOfFollowingPeriod(15),
            },
            TimeLimit::Annual { month: 1, day: 31 },
        ] {
            assert_eq!(
                TimeLimit::from_code(&rule.code()),
                Ok(rule),
                "{}",
                rule.code()
            );
            assert_eq!(
                TimeLimit::from_wording(&rule.to_string()),
                Ok(rule),
                "{rule}"
            );
        }
        assert!(TimeLimit::from_code("weekly").is_err());
        assert!(TimeLimit::from_code("annual:13-01").is_err());
    }
}
