use analysis::Athlete;
use analysis::models::DashboardSettings;
use leptos::prelude::*;

/// The runner's settings that analysis depends on (heart-rate anchors, threshold pace, zones),
/// shared by every page. Kept in the browser's local storage; the server renders with the
/// defaults and the browser switches after hydration. Pages that analyse read it reactively, so
/// changing a setting recomputes what they show.
#[derive(Debug, Clone, Copy)]
pub struct AthleteContext {
    athlete: RwSignal<Athlete>,
    dashboard: RwSignal<DashboardSettings>,
}

impl AthleteContext {
    /// The current settings (reactive).
    pub fn get(&self) -> Athlete {
        self.athlete.get()
    }

    /// Replaces the settings and remembers them in this browser.
    pub fn set(&self, athlete: Athlete) {
        #[cfg(feature = "hydrate")]
        crate::browser::storage::save_athlete(&athlete);
        self.athlete.set(athlete);
    }

    /// The dashboard's choices: load kind and time constants (reactive).
    pub fn dashboard(&self) -> DashboardSettings {
        self.dashboard.get()
    }

    /// Replaces the dashboard's choices and remembers them in this browser.
    pub fn set_dashboard(&self, settings: DashboardSettings) {
        #[cfg(feature = "hydrate")]
        crate::browser::storage::save_dashboard(&settings);
        self.dashboard.set(settings);
    }
}

/// Puts the athlete settings in context; call once, in `<App/>`.
pub fn provide_athlete() {
    let athlete = RwSignal::new(Athlete::default());
    let dashboard = RwSignal::new(DashboardSettings::default());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(stored) = crate::browser::storage::load_athlete() {
            athlete.set(stored);
        }
        if let Some(stored) = crate::browser::storage::load_dashboard() {
            dashboard.set(stored);
        }
    });
    provide_context(AthleteContext { athlete, dashboard });
}

/// The settings put in context by [`provide_athlete`].
pub fn use_athlete() -> AthleteContext {
    use_context::<AthleteContext>().expect("provide_athlete() is called in <App/>")
}
