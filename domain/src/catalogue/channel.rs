//! Disclosure channels (公开渠道和载体). Catalogues name a dozen carriers; answers and
//! scoring use the seven channels of the API, so every published label maps to one.

use std::fmt;
use std::str::FromStr;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Channel {
    /// 政府网站 / 门户网站
    Website,
    /// 两微一端、公众号、客户端
    NewMedia,
    /// 公示栏、公开栏、电子屏、触摸屏
    BulletinBoard,
    /// 政府公报、发布会、广播电视、纸质媒体
    Press,
    /// 热线电话
    Hotline,
    /// 政务服务中心、公开查阅点、便民服务站、咨询台
    ServiceHall,
    /// 入户/现场、精准推送及其他
    Other,
}

impl Channel {
    pub const ALL: [Channel; 7] = [
        Channel::Website,
        Channel::NewMedia,
        Channel::BulletinBoard,
        Channel::Press,
        Channel::Hotline,
        Channel::ServiceHall,
        Channel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Website => "WEBSITE",
            Channel::NewMedia => "NEW_MEDIA",
            Channel::BulletinBoard => "BULLETIN_BOARD",
            Channel::Press => "PRESS",
            Channel::Hotline => "HOTLINE",
            Channel::ServiceHall => "SERVICE_HALL",
            Channel::Other => "OTHER",
        }
    }

    /// The stored code, exactly (`from_str` also takes labels and any case).
    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The label Touming writes in exported spreadsheets (and reads back).
    pub fn label(self) -> &'static str {
        match self {
            Channel::Website => "政府网站",
            Channel::NewMedia => "两微一端",
            Channel::BulletinBoard => "公示栏(电子屏)",
            Channel::Press => "政府公报/发布会/广播电视/纸质媒体",
            Channel::Hotline => "热线电话",
            Channel::ServiceHall => "政务服务中心/公开查阅点",
            Channel::Other => "其他",
        }
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

/// The labels published catalogues use, and the channel each stands for.
const LABELS: &[(&str, Channel)] = &[
    ("政府网站", Channel::Website),
    ("门户网站", Channel::Website),
    ("网站", Channel::Website),
    ("两微一端", Channel::NewMedia),
    ("政务新媒体", Channel::NewMedia),
    ("新媒体", Channel::NewMedia),
    ("微信", Channel::NewMedia),
    ("微博", Channel::NewMedia),
    ("公众号", Channel::NewMedia),
    ("客户端", Channel::NewMedia),
    ("公众号/客户端", Channel::NewMedia),
    ("社区/企事业单位/村公示栏(电子屏)", Channel::BulletinBoard),
    ("公示栏(电子屏)", Channel::BulletinBoard),
    ("公示栏", Channel::BulletinBoard),
    ("公开栏", Channel::BulletinBoard),
    ("电子屏", Channel::BulletinBoard),
    ("触摸屏", Channel::BulletinBoard),
    ("公开栏/电子屏/触摸屏", Channel::BulletinBoard),
    ("政府公报/发布会/广播电视/纸质媒体", Channel::Press),
    ("政府公报", Channel::Press),
    ("发布会/听证会", Channel::Press),
    ("发布会", Channel::Press),
    ("听证会", Channel::Press),
    ("广播电视", Channel::Press),
    ("纸质媒体", Channel::Press),
    ("报刊", Channel::Press),
    ("热线电话", Channel::Hotline),
    ("热线", Channel::Hotline),
    ("12345", Channel::Hotline),
    ("政务服务中心/公开查阅点", Channel::ServiceHall),
    ("政务服务中心", Channel::ServiceHall),
    ("公开查阅点", Channel::ServiceHall),
    ("便民服务站", Channel::ServiceHall),
    ("咨询台/服务台", Channel::ServiceHall),
    ("咨询台", Channel::ServiceHall),
    ("服务台", Channel::ServiceHall),
    ("入户/现场", Channel::Other),
    ("精准推送", Channel::Other),
    ("其他", Channel::Other),
];

/// Reads a channel label as catalogues write it (full-width brackets, stray spaces
/// and either slash allowed).
pub fn parse_channel_label(label: &str) -> Result<Channel, ChannelParseError> {
    let normal: String = label
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '／' | '、' => '/',
            c => c,
        })
        .collect();
    LABELS
        .iter()
        .find(|(l, _)| *l == normal)
        .map(|(_, c)| *c)
        .ok_or_else(|| ChannelParseError(label.trim().to_owned()))
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
        assert_eq!(parse_channel_label("发布会/听证会"), Ok(Channel::Press));
        assert_eq!(parse_channel_label("入户/现场"), Ok(Channel::Other));
        assert_eq!("SERVICE_HALL".parse(), Ok(Channel::ServiceHall));
        assert!(parse_channel_label("飞鸽传书").is_err());
    }

    #[test]
    fn every_export_label_reads_back() {
        for channel in Channel::ALL {
            assert_eq!(parse_channel_label(channel.label()), Ok(channel));
        }
    }
}
