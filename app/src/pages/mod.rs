/// `/`: what Stride is, with the way in.
pub mod home;
pub use home::HomePage;

/// `/runs`: the runner's library of runs.
pub mod runs;
pub use runs::RunsPage;

/// `/runs/<id>`: one run, analysed on this device.
pub mod run;
pub use run::RunPage;

/// `/records`: personal records by distance and their progression.
pub mod records;
pub use records::RecordsPage;

/// `/dashboard`: fitness, fatigue, form and predictions.
pub mod dashboard;
pub use dashboard::DashboardPage;

/// `/plans`: community training plans.
pub mod plans;
pub use plans::PlansPage;

/// `/watch`: the watch over Web Bluetooth.
pub mod watch;
pub use watch::WatchPage;

/// `/settings`: the runner's heart rates, threshold pace and zones.
pub mod settings;
pub use settings::SettingsPage;

/// `/signin`: accounts, for sync and coaching.
pub mod sign_in;
pub use sign_in::SignInPage;

/// `/signin/two-factor`: the second step of a sign-in, a one-time code.
pub mod two_factor;
pub use two_factor::TwoFactorPage;

/// `/account`: password and personal access tokens of the signed-in account.
pub mod account;
pub use account::AccountPage;

/// `/shared/<token>`: a run made public by its owner's link.
pub mod shared;
pub use shared::SharedRunPage;

/// Any other address.
pub mod not_found;
pub use not_found::NotFoundPage;

/// The heading and lead shared by the pages.
mod page_header;
use page_header::PageHeader;
