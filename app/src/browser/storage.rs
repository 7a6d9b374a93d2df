//! Settings kept in the browser's local storage. Storage can be missing or refuse writes (private
//! modes, quotas): then the setting simply lasts for the page's life.

use gloo_storage::{LocalStorage, Storage};

use analysis::Athlete;

use crate::format::UnitSystem;

/// The local-storage key of the unit system.
pub const UNITS_KEY: &str = "stride.units";

/// The stored unit system, or `None` when nothing (or nothing valid) is stored.
pub fn load_unit_system() -> Option<UnitSystem> {
    let raw = LocalStorage::raw().get_item(UNITS_KEY).ok().flatten()?;
    UnitSystem::from_key(&raw)
}

/// Remembers the unit system; a storage that refuses is not an error for the runner.
pub fn save_unit_system(units: UnitSystem) {
    let _ = LocalStorage::raw().set_item(UNITS_KEY, units.key());
}

/// The local-storage key of the run page's "smooth pace" switch (`1` on).
pub const SMOOTH_PACE_KEY: &str = "stride.chart.smooth";

/// Whether the runner last turned the smoothed pace line on.
pub fn load_smooth_pace() -> bool {
    LocalStorage::raw()
        .get_item(SMOOTH_PACE_KEY)
        .ok()
        .flatten()
        .as_deref()
        == Some("1")
}

/// Remembers the "smooth pace" switch.
pub fn save_smooth_pace(on: bool) {
    let _ = LocalStorage::raw().set_item(SMOOTH_PACE_KEY, if on { "1" } else { "0" });
}

/// The local-storage key of the athlete settings (JSON of [`Athlete`]).
pub const ATHLETE_KEY: &str = "stride.athlete";

/// The stored athlete settings, or `None` when nothing (or nothing valid) is stored.
pub fn load_athlete() -> Option<Athlete> {
    let raw = LocalStorage::raw().get_item(ATHLETE_KEY).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

/// Remembers the athlete settings; a storage that refuses is not an error for the runner.
pub fn save_athlete(athlete: &Athlete) {
    if let Ok(json) = serde_json::to_string(athlete) {
        let _ = LocalStorage::raw().set_item(ATHLETE_KEY, &json);
    }
}

/// The local-storage key of the dashboard's choices (JSON of
/// [`DashboardSettings`](analysis::models::DashboardSettings)).
pub const DASHBOARD_KEY: &str = "stride.dashboard";

/// The stored dashboard choices, or `None` when nothing (or nothing valid) is stored.
pub fn load_dashboard() -> Option<analysis::models::DashboardSettings> {
    let raw = LocalStorage::raw().get_item(DASHBOARD_KEY).ok().flatten()?;
    serde_json::from_str(&raw).ok()
}

/// Remembers the dashboard choices.
pub fn save_dashboard(settings: &analysis::models::DashboardSettings) {
    if let Ok(json) = serde_json::to_string(settings) {
        let _ = LocalStorage::raw().set_item(DASHBOARD_KEY, &json);
    }
}

/// The local-storage key of the last list of the account's runs on the server (JSON of
/// `(username, [SyncedRun])`), shown while offline.
pub const SYNCED_KEY: &str = "stride.synced";

/// The account's runs on the server as last listed for `username`, if they were.
pub fn load_synced(username: &str) -> Option<Vec<crate::models::SyncedRun>> {
    let raw = LocalStorage::raw().get_item(SYNCED_KEY).ok().flatten()?;
    let (user, runs): (String, Vec<crate::models::SyncedRun>) = serde_json::from_str(&raw).ok()?;
    (user == username).then_some(runs)
}

/// Remembers the account's runs on the server, as listed now.
pub fn save_synced(username: &str, runs: &[crate::models::SyncedRun]) {
    if let Ok(json) = serde_json::to_string(&(username, runs)) {
        let _ = LocalStorage::raw().set_item(SYNCED_KEY, &json);
    }
}

/// Forgets what this browser kept of a signed-in account (the last list of its runs on the
/// server), at sign-out or deletion. The runs library is the runner's own and stays.
pub fn forget_account() {
    let _ = LocalStorage::raw().remove_item(SYNCED_KEY);
}

/// Whether the browser says it is offline (`navigator.onLine` false).
pub fn offline() -> bool {
    !leptos::prelude::window().navigator().on_line()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn unit_system_survives_in_local_storage() {
        LocalStorage::delete(UNITS_KEY);
        assert_eq!(load_unit_system(), None);

        save_unit_system(UnitSystem::Imperial);
        assert_eq!(load_unit_system(), Some(UnitSystem::Imperial));
        let raw = LocalStorage::raw().get_item(UNITS_KEY).unwrap();
        assert_eq!(raw.as_deref(), Some("imperial"));

        save_unit_system(UnitSystem::Metric);
        assert_eq!(load_unit_system(), Some(UnitSystem::Metric));
    }

    #[wasm_bindgen_test]
    fn dashboard_choices_survive_in_local_storage() {
        use analysis::models::{DashboardSettings, LoadKind};
        LocalStorage::delete(DASHBOARD_KEY);
        assert_eq!(load_dashboard(), None);
        let chosen = DashboardSettings {
            load: LoadKind::HrTss,
            ctl_days: 28.0,
            atl_days: 5.0,
        };
        save_dashboard(&chosen);
        assert_eq!(load_dashboard(), Some(chosen));
        LocalStorage::delete(DASHBOARD_KEY);
    }

    #[wasm_bindgen_test]
    fn athlete_settings_survive_in_local_storage() {
        LocalStorage::delete(ATHLETE_KEY);
        assert_eq!(load_athlete(), None);
        let athlete = Athlete {
            max_hr: Some(188.0),
            rest_hr: Some(48.0),
            threshold_speed: Some(1000.0 / 255.0),
            hr_zones: Some(vec![120.0, 140.0, 155.0, 170.0, 188.0]),
            ..Athlete::default()
        };
        save_athlete(&athlete);
        assert_eq!(load_athlete(), Some(athlete));
        LocalStorage::raw()
            .set_item(ATHLETE_KEY, "{not json")
            .unwrap();
        assert_eq!(load_athlete(), None);
        LocalStorage::delete(ATHLETE_KEY);
    }

    #[wasm_bindgen_test]
    fn garbage_in_storage_is_ignored() {
        LocalStorage::raw().set_item(UNITS_KEY, "furlongs").unwrap();
        assert_eq!(load_unit_system(), None);
        LocalStorage::delete(UNITS_KEY);
    }
}
