use leptos::prelude::*;

use crate::format::UnitSystem;

/// The runner's unit system, shared by every page. The choice is kept in the browser's local
/// storage; the server always renders metric and the browser switches after hydration.
#[derive(Debug, Clone, Copy)]
pub struct UnitsContext {
    units: RwSignal<UnitSystem>,
}

impl UnitsContext {
    /// The current unit system (reactive).
    pub fn get(&self) -> UnitSystem {
        self.units.get()
    }

    /// The current unit system, outside reactive tracking (event handlers).
    pub fn get_untracked(&self) -> UnitSystem {
        self.units.get_untracked()
    }

    /// Switches the unit system and remembers the choice in this browser.
    pub fn set(&self, units: UnitSystem) {
        self.units.set(units);
        #[cfg(feature = "hydrate")]
        crate::browser::storage::save_unit_system(units);
    }
}

/// Puts the unit system in context; call once, in `<App/>`.
pub fn provide_units() {
    let units = RwSignal::new(UnitSystem::default());
    // After hydration (so that the first client render matches the server's), read the stored choice.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(stored) = crate::browser::storage::load_unit_system() {
            units.set(stored);
        }
    });
    provide_context(UnitsContext { units });
}

/// The unit system put in context by [`provide_units`].
pub fn use_units() -> UnitsContext {
    use_context::<UnitsContext>().expect("provide_units() is called in <App/>")
}
