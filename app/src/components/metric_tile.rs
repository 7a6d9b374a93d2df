use leptos::prelude::*;

use crate::format::{self, UnitSystem};
use crate::providers::use_units;

/// How a metric's SI value reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Display {
    /// Metres as km or mi.
    Distance,
    /// Metres as m or ft.
    Elevation,
    /// Seconds as `h:mm:ss`.
    Duration,
    /// Speed (m/s) as pace per km or mi.
    Pace,
    /// Speed (m/s) as the sport reads it (pace, km/h, per 100 m, …).
    Speed(format::SpeedStyle),
    /// A whole number with a unit suffix (`bpm`, `spm`, or none).
    Whole(&'static str),
    /// The value times `factor`, with `places` decimals and a unit suffix (stance time in ms,
    /// vertical oscillation in cm, a percentage).
    Scaled(f64, usize, &'static str),
}

impl Display {
    /// `value` for the runner, in `units`.
    pub fn show(self, value: f64, units: UnitSystem) -> String {
        match self {
            Self::Distance => format::distance(value, units),
            Self::Elevation => format::elevation(value, units),
            Self::Duration => format::duration(value),
            Self::Pace => format::pace(value, units),
            Self::Speed(style) => style.show(value, units),
            Self::Whole("") => format!("{value:.0}"),
            Self::Whole(unit) => format!("{value:.0} {unit}"),
            Self::Scaled(factor, places, unit) => format!("{:.*} {unit}", places, value * factor)
                .trim_end()
                .to_owned(),
        }
    }
}

/// One figure of a run. `data-metric` is the metric id and `data-value` the SI value, for tests
/// and other tools to read; a metric of the registry carries its description as the tooltip.
#[component]
pub fn MetricTile(
    id: &'static str,
    #[prop(into)] label: String,
    value: f64,
    display: Display,
) -> impl IntoView {
    let units = use_units();
    // A run metric says what it measures when hovered (the registry's description).
    let title = analysis::metrics::find(id).map(|m| m.info().description);
    view! {
        <div class="metric-tile" data-metric=id data-value=value.to_string() title=title>
            <span class="metric-tile__label">{label}</span>
            <span class="metric-tile__value">{move || display.show(value, units.get())}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_values_in_both_systems() {
        assert_eq!(
            Display::Distance.show(10_000.0, UnitSystem::Metric),
            "10.00 km"
        );
        assert_eq!(
            Display::Whole("bpm").show(151.4, UnitSystem::Metric),
            "151 bpm"
        );
        assert_eq!(Display::Whole("").show(87.6, UnitSystem::Imperial), "88");
        assert_eq!(
            Display::Scaled(1.0, 2, "m").show(1.238, UnitSystem::Metric),
            "1.24 m"
        );
        assert_eq!(
            Display::Pace.show(1_000.0 / 300.0, UnitSystem::Metric),
            "5:00 /km"
        );
    }
}
