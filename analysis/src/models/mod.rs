//! Athlete models over a runner's history: training load, fitness/fatigue/form, a fitted
//! Banister model, race prediction, VO2max, HRV and resting heart rate, and a readiness
//! verdict.
//!
//! Everything here is pure and synchronous and reads plain data ([`RunPoint`], [`Effort`],
//! [`DayValue`]) rather than decoded activities, so the browser can feed the models from
//! stored run summaries. Every result is `Serialize + Deserialize` and says how it was computed
//! (a `METHOD`/`SOURCE` constant per model, or an `explanation` text in the result) for the
//! UI's "how is this computed?".
//!
//! ```
//! use analysis::models::{Effort, Method, predict};
//! // `stride predict --race 21097.5:1:45:00 --target 42195 --method auto`
//! let p = predict(Method::Auto, &[Effort::race(21_097.5, 6_300.0)], 42_195.0).unwrap();
//! assert_eq!(p.method, Method::Stride);
//! assert!(p.low_s < p.seconds && p.seconds < p.high_s);
//! ```

/// Runs, efforts and daily values: the models' inputs.
pub mod history;
pub use history::{
    DayValue, Effort, History, RunPoint, days_from_civil, efforts_from_metric_ids, week_start,
};

/// Daily, weekly and monthly load and volume; ACWR with its critique.
pub mod load;
pub use load::{
    ACWR_SWEET_SPOT, Acwr, AcwrPoint, DailySeries, LoadKind, Rollup, acwr, daily_load, monthly,
    weekly,
};

/// Fitness (CTL), fatigue (ATL) and form (TSB).
pub mod pmc;
pub use pmc::{Pmc, PmcPoint};

/// The Banister impulse-response model fitted to a runner's performances.
pub mod banister;
pub use banister::{BanisterFit, BanisterParams, FitStatus, Performance};

/// Daniels and Gilbert's VDOT formulas.
pub mod vdot;

/// Race predictors: the trait, the shared prediction, Riegel, VDOT and Cameron.
pub mod race;
pub use race::{
    Cameron, EffortAges, FRESH_EFFORT_DAYS, Method, Prediction, PredictionSummary, RacePredictor,
    Riegel, Vdot, predict, predict_all,
};

/// The critical-speed predictor.
pub mod critical_speed;
pub use critical_speed::{CriticalSpeed, CriticalSpeedFit};

/// Stride's own predictor: a personal endurance curve.
pub mod endurance;
pub use endurance::{EnduranceFit, Form, Population, STRIDE_POPULATION, Stride};

/// Measuring predictors on real results.
pub mod accuracy;

/// VO2max from the heart-rate ratio and from steady segments of runs.
pub mod vo2max;

/// rMSSD, the HRV band and the resting-HR trend.
pub mod hrv;

/// The readiness verdict and the signals behind it.
pub mod readiness;
pub use readiness::{Readiness, Verdict};

/// What the dashboard shows, from the runs of a library: fitness/fatigue/form, weekly load,
/// readiness and race predictions.
pub mod dashboard;
pub use dashboard::{Dashboard, DashboardSettings, RacePrediction};
