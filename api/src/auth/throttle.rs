//! Login attempts per client address, in a sliding one-minute window. Every `login`
//! field counts, so a request that aliases or batches many logins is throttled like
//! as many requests.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginThrottle {
    per_minute: u32,
    attempts: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

const WINDOW: Duration = Duration::from_secs(60);

impl LoginThrottle {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt; `false` when the address has used up its window.
    pub fn try_attempt(&self, ip: IpAddr) -> bool {
        self.try_attempt_at(ip, Instant::now())
    }

    fn try_attempt_at(&self, ip: IpAddr, now: Instant) -> bool {
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        // Forget idle addresses now and then so the map cannot grow without bound.
        if attempts.len() > 10_000 {
            attempts.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let queue = attempts.entry(ip).or_default();
        while queue
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            queue.pop_front();
        }
        if queue.len() as u32 >= self.per_minute {
            return false;
        }
        queue.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_slides() {
        let throttle = LoginThrottle::new(3);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        assert!((0..3).all(|_| throttle.try_attempt_at(ip, t0)));
        assert!(!throttle.try_attempt_at(ip, t0 + Duration::from_secs(59)));
        assert!(
            throttle.try_attempt_at(other, t0),
            "addresses are counted apart"
        );
        assert!(throttle.try_attempt_at(ip, t0 + Duration::from_secs(61)));
    }
}
