//! Indicators as numerator and denominator, so that a region's figure is a ratio of
//! sums over its subtree, never a mean of percentages.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub num: u64,
    pub den: u64,
}

impl std::ops::Add for Ratio {
    type Output = Ratio;
    fn add(self, other: Ratio) -> Ratio {
        Ratio {
            num: self.num + other.num,
            den: self.den + other.den,
        }
    }
}

impl Ratio {
    /// Thousandths of a percent (87.5 % → 87500), rounded half up; `None` without a
    /// denominator.
    pub fn percent_milli(self) -> Option<u32> {
        (self.den > 0).then(|| ((self.num * 200_000 + self.den) / (2 * self.den)) as u32)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Indicators {
    /// Applicable items disclosed in whole or in part.
    pub disclosure: Ratio,
    /// Publications on time, of those whose time limit could be judged.
    pub on_time: Ratio,
    /// Items needing an interpretation that have one.
    pub interpretation: Ratio,
    /// Interpretations with a non-text form (图解, 音视频, …).
    pub non_text_interpretation: Ratio,
    /// Disclosed items published through two or more channels.
    pub multi_channel: Ratio,
}

impl std::ops::Add for Indicators {
    type Output = Indicators;
    fn add(self, o: Indicators) -> Indicators {
        Indicators {
            disclosure: self.disclosure + o.disclosure,
            on_time: self.on_time + o.on_time,
            interpretation: self.interpretation + o.interpretation,
            non_text_interpretation: self.non_text_interpretation + o.non_text_interpretation,
            multi_channel: self.multi_channel + o.multi_channel,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_round_once() {
        assert_eq!(Ratio { num: 7, den: 8 }.percent_milli(), Some(87_500));
        assert_eq!(Ratio { num: 2, den: 3 }.percent_milli(), Some(66_667));
        assert_eq!(Ratio { num: 1, den: 3 }.percent_milli(), Some(33_333));
        assert_eq!(Ratio::default().percent_milli(), None);
        let pooled = Ratio { num: 1, den: 2 } + Ratio { num: 9, den: 10 };
        assert_eq!(
            pooled.percent_milli(),
            Some(83_333),
            "10 of 12, not the mean of 50 % and 90 %"
        );
    }
}
