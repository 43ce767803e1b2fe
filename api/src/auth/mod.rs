//! Who is calling: passwords, second factors, sessions, login throttling and lockout.

pub mod lockout;
pub mod login;
pub mod password;
pub mod second_factor;
pub mod session;
pub mod throttle;
pub mod token;

pub use password::PasswordHasher;
pub use session::Viewer;
pub use throttle::LoginThrottle;
