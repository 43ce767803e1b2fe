//! The password rules: at least 10 characters, 3 of the 4 character classes, not
//! containing the username, and not a common password in disguise. "Common" is judged
//! by zxcvbn against its frequency lists (the 30,000 commonest leaked passwords, and
//! common words and names): refused are passwords it can guess within a million tries
//! (`Password1!`, `Qwerty123!`) and those whose letters are all one listed word with
//! only digits and symbols around it (`Admin@12345`).

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    #[error("密码至少需要 {min} 个字符")]
    TooShort { min: usize },
    #[error("密码过长（最多 {max} 个字符）")]
    TooLong { max: usize },
    #[error("密码需包含大写字母、小写字母、数字、符号中的至少 3 类")]
    TooFewClasses,
    #[error("密码不得包含用户名")]
    ContainsUsername,
    #[error("密码过于常见或容易猜到（如常见密码、单词加数字、键盘序列），请换一个")]
    TooCommon,
}

pub const MIN_LENGTH: usize = 10;
/// Long enough for any passphrase, short enough that hashing stays cheap.
pub const MAX_LENGTH: usize = 128;

pub fn check_password(password: &str, username: &str) -> Result<(), PasswordPolicyError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordPolicyError::TooShort { min: MIN_LENGTH });
    }
    if length > MAX_LENGTH {
        return Err(PasswordPolicyError::TooLong { max: MAX_LENGTH });
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|&&has| has).count() < 3 {
        return Err(PasswordPolicyError::TooFewClasses);
    }
    let username = username.trim().to_lowercase();
    if !username.is_empty() && password.to_lowercase().contains(&username) {
        return Err(PasswordPolicyError::ContainsUsername);
    }
    if too_common(password, &username) {
        return Err(PasswordPolicyError::TooCommon);
    }
    Ok(())
}

/// At most 10^6 guesses (zxcvbn's score 0 or 1).
const MIN_SCORE: u8 = 2;

fn too_common(password: &str, username: &str) -> bool {
    let estimate = zxcvbn::zxcvbn(password, &[username]);
    if (estimate.score() as u8) < MIN_SCORE {
        return true;
    }
    // The word under the decoration: `Admin@12345` → `Admin`. zxcvbn itself would
    // rather count `Admin@` as random characters, so the word is judged alone.
    let core = password.trim_matches(|c: char| !c.is_alphabetic());
    if core.is_empty() {
        return false;
    }
    let core_estimate = zxcvbn::zxcvbn(core, &[]);
    matches!(
        core_estimate.sequence(),
        [only] if matches!(only.pattern, zxcvbn::matching::patterns::MatchPattern::Dictionary(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_in_disguise_are_refused() {
        for common in [
            "Password1!",
            "Qwerty123!",
            "Admin@12345",
            "P@ssw0rd2025",
            "Welcome@2025",
        ] {
            assert_eq!(
                check_password(common, "someone"),
                Err(PasswordPolicyError::TooCommon),
                "{common}"
            );
        }
    }

    #[test]
    fn good_passwords_pass() {
        assert_eq!(check_password("Demo#2025touming", "210102-filler"), Ok(()));
        assert_eq!(check_password("correcthorse9!", "alice"), Ok(()));
        assert_eq!(check_password("卫健委公开Abc123", "bob"), Ok(()));
        assert_eq!(check_password("Test#2025touming", "210102-filler"), Ok(()));
        assert_eq!(check_password("Zhang#san2025", "zs"), Ok(()));
    }

    #[test]
    fn each_rule_is_enforced() {
        assert_eq!(
            check_password("Ab1!", "x"),
            Err(PasswordPolicyError::TooShort { min: 10 })
        );
        assert_eq!(
            check_password("abcdefghijk1", "x"),
            Err(PasswordPolicyError::TooFewClasses)
        );
        assert_eq!(
            check_password("ABCDEFGHIJKL", "x"),
            Err(PasswordPolicyError::TooFewClasses)
        );
        assert_eq!(
            check_password("Xx210102-filler1", "210102-FILLER"),
            Err(PasswordPolicyError::ContainsUsername)
        );
        assert_eq!(
            check_password(&"Aa1!".repeat(40), "x"),
            Err(PasswordPolicyError::TooLong { max: 128 })
        );
    }
}
