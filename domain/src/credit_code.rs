//! The 18-character unified social credit code (统一社会信用代码, GB 32100-2015) that
//! identifies an institution.

use std::fmt;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code whose check character is right.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为 18 位")]
    WrongLength,
    #[error("统一社会信用代码第 {position} 位的字符“{found}”不允许（不得使用 I、O、Z、S、V）")]
    BadCharacter { position: usize, found: char },
    #[error("统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）")]
    BadDivision,
    #[error("统一社会信用代码校验位错误：应为 {expected}，实为 {found}")]
    BadCheck { expected: char, found: char },
}

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters of a code.
/// `body` must hold 17 characters of the alphabet.
pub fn check_character(body: &str) -> Result<char, CreditCodeError> {
    let bytes = body.as_bytes();
    if bytes.len() != 17 {
        return Err(CreditCodeError::WrongLength);
    }
    let mut sum = 0u32;
    for (i, &b) in bytes.iter().enumerate() {
        let v = value_of(b).ok_or(CreditCodeError::BadCharacter {
            position: i + 1,
            found: b as char,
        })?;
        sum += v * WEIGHTS[i];
    }
    Ok(ALPHABET[((31 - sum % 31) % 31) as usize] as char)
}

impl CreditCode {
    pub fn parse(raw: &str) -> Result<Self, CreditCodeError> {
        let raw = raw.trim().to_ascii_uppercase();
        if raw.chars().count() != 18 {
            return Err(CreditCodeError::WrongLength);
        }
        for (i, c) in raw.chars().enumerate() {
            if !c.is_ascii() || value_of(c as u8).is_none() {
                return Err(CreditCodeError::BadCharacter {
                    position: i + 1,
                    found: c,
                });
            }
        }
        if !raw[2..8].bytes().all(|b| b.is_ascii_digit()) {
            return Err(CreditCodeError::BadDivision);
        }
        let expected = check_character(&raw[..17])?;
        let found = raw.as_bytes()[17] as char;
        if expected != found {
            return Err(CreditCodeError::BadCheck { expected, found });
        }
        Ok(Self(raw))
    }

    /// Completes a 17-character body with its check character.
    pub fn complete(body: &str) -> Result<Self, CreditCodeError> {
        let check = check_character(body)?;
        Self::parse(&format!("{body}{check}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Positions 3–8: the division code of the registering authority.
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples_are_valid() {
        for ok in [
            "914403001922038216",
            "91330100799655058B",
            "91330100799655058b",
        ] {
            let code = CreditCode::parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(code.as_str(), ok.to_ascii_uppercase());
        }
        assert_eq!(
            CreditCode::parse("914403001922038216").unwrap().division(),
            "440300"
        );
    }

    #[test]
    fn a_wrong_check_character_names_the_right_one() {
        assert_eq!(
            CreditCode::parse("914403001922038217"),
            Err(CreditCodeError::BadCheck {
                expected: '6',
                found: '7'
            })
        );
    }

    #[test]
    fn forbidden_letters_and_lengths_are_rejected() {
        assert_eq!(
            CreditCode::parse("91440300192203821"),
            Err(CreditCodeError::WrongLength)
        );
        assert_eq!(
            CreditCode::parse("91440300192203821O"),
            Err(CreditCodeError::BadCharacter {
                position: 18,
                found: 'O'
            })
        );
        assert_eq!(
            CreditCode::parse("9I4403001922038216"),
            Err(CreditCodeError::BadCharacter {
                position: 2,
                found: 'I'
            })
        );
        assert_eq!(
            CreditCode::parse("91AB03001922038216"),
            Err(CreditCodeError::BadDivision)
        );
    }

    #[test]
    fn complete_appends_a_check_character_that_parses() {
        let code = CreditCode::complete("12210100MB0000001").unwrap();
        assert_eq!(code.as_str().len(), 18);
        assert!(CreditCode::parse(code.as_str()).is_ok());
        assert_eq!(
            CreditCode::complete("91440300192203821").unwrap().as_str(),
            "914403001922038216"
        );
    }
}
