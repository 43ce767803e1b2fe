//! The second factor (等保 2.0 第三级: two authentication techniques for
//! administrators): TOTP codes (RFC 6238: SHA-1, 6 digits, 30 s, one step of skew),
//! each accepted once, and ten one-time recovery codes stored as SHA-256.
//!
//! Required at sign-in for ADMINs (the platform operator is one) when
//! `auth.require_second_factor` is on, and for anyone who enrolled. An administrator
//! without an authenticator enrols at the sign-in page: the right password answers
//! `SECOND_FACTOR_ENROLMENT` with a fresh secret, and a code from it completes both
//! enrolment and sign-in. The factor is remembered for the session only.

use chrono::Utc;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet,
    QueryFilter, Set,
};
use totp_rs::{Secret, Totp};
use touming_domain::Role;
use touming_store::entity::{recovery_code, user};

use super::token::token_hash;
use crate::config::AuthConfig;
use crate::error::{ApiError, ApiResult};

const ISSUER: &str = "Touming";
const RECOVERY_CODES: usize = 10;

/// Whether `user` must give a second factor to sign in.
pub fn required(user: &user::Model, config: &AuthConfig) -> bool {
    user.totp_secret.is_some()
        || (config.require_second_factor && user.roles().contains(&Role::Admin))
}

/// What a secret looks like to an authenticator app.
pub struct Enrolment {
    pub secret: String,
    pub otpauth_url: String,
}

/// The outcome of a second factor given at sign-in (or at confirming enrolment).
pub enum Checked {
    Passed {
        /// Set when this check completed an enrolment: shown once, never again.
        recovery_codes: Vec<String>,
    },
    Wrong,
}

/// Checks `code` for a user who must give one. No code: `SECOND_FACTOR_REQUIRED`, or
/// for a user not yet enrolled `SECOND_FACTOR_ENROLMENT` with a pending secret.
pub async fn check(
    db: &impl ConnectionTrait,
    user: &user::Model,
    code: Option<&str>,
) -> ApiResult<Checked> {
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    match (&user.totp_secret, code) {
        (Some(_), None) => Err(ApiError::SecondFactorRequired),
        (None, None) => {
            let enrolment = begin(db, user).await?;
            Err(ApiError::SecondFactorEnrolment {
                secret: enrolment.secret,
                otpauth_url: enrolment.otpauth_url,
            })
        }
        (Some(secret), Some(code)) => {
            if accept_code(db, user, secret, code).await?
                || use_recovery_code(db, user.id, code).await?
            {
                Ok(Checked::Passed {
                    recovery_codes: Vec::new(),
                })
            } else {
                Ok(Checked::Wrong)
            }
        }
        (None, Some(code)) => confirm(db, user, code).await,
    }
}

/// A pending secret for `user` (the one already pending, so that reloading the
/// sign-in page does not invalidate a QR code just scanned).
pub async fn begin(db: &impl ConnectionTrait, user: &user::Model) -> ApiResult<Enrolment> {
    let secret = match &user.totp_pending_secret {
        Some(pending) => pending.clone(),
        None => {
            let mut bytes = [0u8; 20];
            rand::rng().fill_bytes(&mut bytes);
            let secret = Secret::from(bytes).to_base32();
            user::Entity::update_many()
                .col_expr(user::Column::TotpPendingSecret, Expr::value(secret.clone()))
                .filter(user::Column::Id.eq(user.id))
                .exec(db)
                .await?;
            secret
        }
    };
    let otpauth_url = totp(&secret, &user.username)?
        .to_url()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("otpauth URL: {e:?}")))?;
    Ok(Enrolment {
        secret,
        otpauth_url,
    })
}

/// A code from the pending secret makes it the user's; returns fresh recovery codes.
pub async fn confirm(
    db: &impl ConnectionTrait,
    user: &user::Model,
    code: &str,
) -> ApiResult<Checked> {
    let Some(pending) = &user.totp_pending_secret else {
        return Ok(Checked::Wrong);
    };
    let Some(step) = totp(pending, &user.username)?.check_current(code.trim()) else {
        return Ok(Checked::Wrong);
    };
    let mut active = user.clone().into_active_model();
    active.totp_secret = Set(Some(pending.clone()));
    active.totp_pending_secret = Set(None);
    active.totp_enrolled_at = Set(Some(Utc::now()));
    active.totp_last_step = Set(Some(step as i64));
    active.update(db).await?;
    Ok(Checked::Passed {
        recovery_codes: new_recovery_codes(db, user.id).await?,
    })
}

/// Removes the second factor (an ADMIN's `resetSecondFactor`); the user enrols again.
pub async fn reset(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::TotpSecret, Expr::value(None::<String>))
        .col_expr(user::Column::TotpPendingSecret, Expr::value(None::<String>))
        .col_expr(
            user::Column::TotpEnrolledAt,
            Expr::value(None::<chrono::DateTime<Utc>>),
        )
        .col_expr(user::Column::TotpLastStep, Expr::value(None::<i64>))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

fn totp(secret: &str, username: &str) -> ApiResult<Totp> {
    let bytes = Secret::try_from_base32(secret)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("stored TOTP secret: {e:?}")))?;
    totp_rs::Builder::new()
        .with_secret(bytes)
        .with_account_name(username)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("TOTP parameters: {e:?}")))
}

/// A right code for a step later than the last one accepted. The step is taken with a
/// conditional update, so the same code sent twice at once passes once.
async fn accept_code(
    db: &impl ConnectionTrait,
    user: &user::Model,
    secret: &str,
    code: &str,
) -> ApiResult<bool> {
    let Some(step) = totp(secret, &user.username)?.check_current(code) else {
        return Ok(false);
    };
    let step = step as i64;
    let taken = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(user.id))
        .filter(
            sea_orm::Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

async fn use_recovery_code(db: &impl ConnectionTrait, user_id: i64, code: &str) -> ApiResult<bool> {
    let normalized: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let used = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(recovery_code::Column::UserId.eq(user_id))
        .filter(recovery_code::Column::CodeHash.eq(token_hash(&normalized)))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(used.rows_affected == 1)
}

/// Ten codes of 10 characters from an alphabet without look-alikes (50 bits each),
/// replacing any earlier ones.
async fn new_recovery_codes(db: &impl ConnectionTrait, user_id: i64) -> ApiResult<Vec<String>> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    // Drawn before any await: the thread's generator does not travel between threads.
    let plain: Vec<String> = {
        let mut rng = rand::rng();
        (0..RECOVERY_CODES)
            .map(|_| {
                (0..10)
                    .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
                    .collect()
            })
            .collect()
    };
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for code in plain {
        recovery_code::ActiveModel {
            id: NotSet,
            user_id: Set(user_id),
            code_hash: Set(token_hash(&code)),
            used_at: Set(None),
        }
        .insert(db)
        .await?;
        codes.push(format!("{}-{}", &code[..5], &code[5..]));
    }
    Ok(codes)
}
