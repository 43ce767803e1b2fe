//! Disclosure channels (公开渠道和载体): the thirteen carriers the published catalogues
//! name (DOMAIN.md §2), kept apart end to end — a required 政府公报 is not met by a
//! newspaper notice. Before 2026-12 Touming folded them into seven; migration 7 moved
//! stored data to the nearest carrier (PRESS → GAZETTE, SERVICE_HALL → SERVICE_CENTER,
//! HOTLINE → OTHER).

use std::fmt;
use std::str::FromStr;

macro_rules! channels {
    ($($v:ident => $code:literal / $label:literal, $doc:literal;)*) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum Channel {
            $(#[doc = $doc] $v,)*
        }

        impl Channel {
            /// In the order the published catalogue lists them.
            pub const ALL: [Channel; 13] = [$(Channel::$v),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Channel::$v => $code),* }
            }

            /// The published label, which Touming writes in exports and reads back.
            pub fn label(self) -> &'static str {
                match self { $(Channel::$v => $label),* }
            }
        }
    };
}

channels! {
    Website => "WEBSITE" / "政府网站", "政府网站 / 门户网站";
    Gazette => "GAZETTE" / "政府公报", "政府公报";
    NewMedia => "NEW_MEDIA" / "两微一端", "两微一端：政务微博、微信公众号、客户端";
    PressConference => "PRESS_CONFERENCE" / "发布会/听证会", "新闻发布会、听证会";
    Broadcast => "BROADCAST" / "广播电视", "广播电视";
    PrintMedia => "PRINT_MEDIA" / "纸质媒体", "报刊等纸质媒体";
    ReadingPoint => "READING_POINT" / "公开查阅点", "政府信息公开查阅点";
    ServiceCenter => "SERVICE_CENTER" / "政务服务中心", "政务服务中心（大厅）";
    ServiceStation => "SERVICE_STATION" / "便民服务站", "便民服务站";
    OnSite => "ON_SITE" / "入户/现场", "入户、现场";
    BulletinBoard => "BULLETIN_BOARD" / "社区/企事业单位/村公示栏(电子屏)", "社区、企事业单位、村公示栏（电子屏）";
    TargetedPush => "TARGETED_PUSH" / "精准推送", "精准推送";
    Other => "OTHER" / "其他", "其他（热线电话等）";
}

impl Channel {
    /// The stored code, exactly (`from_str` also takes labels and any case).
    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = ChannelParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
            .map_or_else(|| parse_channel_label(s), Ok)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的公开渠道“{0}”")]
pub struct ChannelParseError(pub String);

/// Labels catalogues use besides the thirteen, and the carrier each stands for. A
/// label that names several carriers at once is not here: it must be split.
const SYNONYMS: &[(&str, Channel)] = &[
    ("门户网站", Channel::Website),
    ("网站", Channel::Website),
    ("政务新媒体", Channel::NewMedia),
    ("新媒体", Channel::NewMedia),
    ("微信", Channel::NewMedia),
    ("微博", Channel::NewMedia),
    ("公众号", Channel::NewMedia),
    ("客户端", Channel::NewMedia),
    ("公众号/客户端", Channel::NewMedia),
    ("公示栏(电子屏)", Channel::BulletinBoard),
    ("公示栏", Channel::BulletinBoard),
    ("公开栏", Channel::BulletinBoard),
    ("电子屏", Channel::BulletinBoard),
    ("触摸屏", Channel::BulletinBoard),
    ("公开栏/电子屏/触摸屏", Channel::BulletinBoard),
    ("村公示栏", Channel::BulletinBoard),
    ("发布会", Channel::PressConference),
    ("新闻发布会", Channel::PressConference),
    ("听证会", Channel::PressConference),
    ("广播", Channel::Broadcast),
    ("电视", Channel::Broadcast),
    ("报刊", Channel::PrintMedia),
    ("报纸", Channel::PrintMedia),
    ("查阅点", Channel::ReadingPoint),
    ("政府信息公开查阅点", Channel::ReadingPoint),
    ("政务服务大厅", Channel::ServiceCenter),
    ("服务大厅", Channel::ServiceCenter),
    ("咨询台/服务台", Channel::ServiceCenter),
    ("咨询台", Channel::ServiceCenter),
    ("服务台", Channel::ServiceCenter),
    ("入户", Channel::OnSite),
    ("现场", Channel::OnSite),
    ("热线电话", Channel::Other),
    ("热线", Channel::Other),
    ("12345", Channel::Other),
];

/// Reads a channel label as catalogues write it (full-width brackets, stray spaces
/// and either slash allowed).
pub fn parse_channel_label(label: &str) -> Result<Channel, ChannelParseError> {
    let normal = normalised(label);
    Channel::ALL
        .into_iter()
        .find(|c| normalised(c.label()) == normal)
        .or_else(|| SYNONYMS.iter().find(|(l, _)| *l == normal).map(|(_, c)| *c))
        .ok_or_else(|| ChannelParseError(label.trim().to_owned()))
}

fn normalised(label: &str) -> String {
    label
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '／' | '、' => '/',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_labels_map_to_channels() {
        assert_eq!(parse_channel_label("政府网站"), Ok(Channel::Website));
        assert_eq!(parse_channel_label(" 两微一端 "), Ok(Channel::NewMedia));
        assert_eq!(
            parse_channel_label("社区/企事业单位/村公示栏（电子屏）"),
            Ok(Channel::BulletinBoard)
        );
        assert_eq!(
            parse_channel_label("发布会/听证会"),
            Ok(Channel::PressConference)
        );
        assert_eq!(parse_channel_label("政府公报"), Ok(Channel::Gazette));
        assert_eq!(parse_channel_label("纸质媒体"), Ok(Channel::PrintMedia));
        assert_eq!(parse_channel_label("广播电视"), Ok(Channel::Broadcast));
        assert_eq!(
            parse_channel_label("便民服务站"),
            Ok(Channel::ServiceStation)
        );
        assert_eq!(parse_channel_label("精准推送"), Ok(Channel::TargetedPush));
        assert_eq!(parse_channel_label("入户/现场"), Ok(Channel::OnSite));
        assert_eq!("SERVICE_CENTER".parse(), Ok(Channel::ServiceCenter));
        // The label that once stood for four carriers names none of them now.
        assert!(parse_channel_label("政府公报/发布会/广播电视/纸质媒体").is_err());
        assert!(parse_channel_label("飞鸽传书").is_err());
    }

    #[test]
    fn thirteen_distinct_carriers_with_distinct_codes_and_labels() {
        let codes: std::collections::BTreeSet<_> =
            Channel::ALL.iter().map(|c| c.as_str()).collect();
        let labels: std::collections::BTreeSet<_> =
            Channel::ALL.iter().map(|c| c.label()).collect();
        assert_eq!((codes.len(), labels.len()), (13, 13));
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
    }

    #[test]
    fn every_export_label_reads_back() {
        for channel in Channel::ALL {
            assert_eq!(parse_channel_label(channel.label()), Ok(channel));
        }
    }
}
