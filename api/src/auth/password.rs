//! argon2id password hashing, off the async threads and with a cap on how many hashes
//! run at once (each takes ~19 MiB and tens of milliseconds of a core).

use std::sync::Arc;

use argon2::password_hash::SaltString;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordVerifier, Version};
use rand::RngCore;
use tokio::sync::{OnceCell, Semaphore};

use crate::error::ApiError;

#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// Verified for unknown usernames so that a miss costs as much as a hit.
    dummy: Arc<OnceCell<String>>,
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Right password, but hashed with other parameters than today's: store a new hash.
    YesRehash(String),
}

impl PasswordHasher {
    pub fn new(
        memory_kib: u32,
        iterations: u32,
        max_concurrent: usize,
    ) -> Result<Self, argon2::Error> {
        Ok(Self {
            params: Params::new(memory_kib, iterations, 1, None)?,
            permits: Arc::new(Semaphore::new(max_concurrent.max(1))),
            dummy: Arc::new(OnceCell::new()),
        })
    }

    fn argon2(params: Params) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
    pub async fn hash(&self, password: &str) -> Result<String, ApiError> {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        let params = self.params.clone();
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_blocking(params, &password))
            .await
            .map_err(ApiError::internal)?
    }

    pub async fn verify(&self, password: &str, stored: &str) -> Result<Verified, ApiError> {
        let (ok, outdated) = {
            let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
            let params = self.params.clone();
            let (password, stored) = (password.to_owned(), stored.to_owned());
            tokio::task::spawn_blocking(move || {
                let Ok(parsed) = PasswordHash::new(&stored) else {
                    return (false, false);
                };
                let ok = Self::argon2(params.clone())
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok();
                let current = parsed.algorithm.as_str() == "argon2id"
                    && Params::try_from(&parsed)
                        .map(|p| p == params)
                        .unwrap_or(false);
                (ok, !current)
            })
            .await
            .map_err(ApiError::internal)?
        };
        Ok(match (ok, outdated) {
            (false, _) => Verified::No,
            (true, false) => Verified::Yes,
            (true, true) => Verified::YesRehash(self.hash(password).await?),
        })
    }

    /// Spends the time a real verification would, for a username that does not exist.
    pub async fn verify_dummy(&self, password: &str) -> Result<(), ApiError> {
        let dummy = self
            .dummy
            .get_or_try_init(|| self.hash("touming-dummy-password-Aa1!"))
            .await?
            .clone();
        self.verify(password, &dummy).await.map(|_| ())
    }
}

fn hash_blocking(params: Params, password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(ApiError::internal)?;
    argon2::PasswordHasher::hash_password(
        &PasswordHasher::argon2(params),
        password.as_bytes(),
        &salt,
    )
    .map(|h| h.to_string())
    .map_err(ApiError::internal)
}
