use leptos::prelude::*;

use crate::format::UnitSystem;
use crate::providers::use_units;

/// Two pressed-state buttons, `km` and `mi`. The choice is kept in this browser.
#[component]
pub fn UnitsToggle() -> impl IntoView {
    let units = use_units();
    let button = move |system: UnitSystem, label: &'static str, title: &'static str| {
        view! {
            <button
                type="button"
                class="units-toggle__option"
                title=title
                aria-pressed=move || (units.get() == system).to_string()
                on:click=move |_| units.set(system)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="units-toggle" role="group" aria-label="Units">
            {button(UnitSystem::Metric, "km", "Metric units")}
            {button(UnitSystem::Imperial, "mi", "Imperial units")}
        </div>
    }
}
