//! Who is calling: passwords, sessions, login throttling and lockout.

pub mod login;
pub mod password;
pub mod session;
pub mod throttle;
pub mod token;

pub use password::PasswordHasher;
pub use session::Viewer;
pub use throttle::LoginThrottle;
