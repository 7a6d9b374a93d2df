use analysis::{Athlete, Sex};
use leptos::prelude::*;
use leptos_meta::Title;

use super::PageHeader;
use crate::format::{self, UnitSystem};
use crate::providers::{use_athlete, use_units};

/// The settings form as text, the way the runner types it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AthleteForm {
    /// Maximum heart rate, bpm.
    pub max_hr: String,
    /// Resting heart rate, bpm.
    pub rest_hr: String,
    /// Lactate-threshold heart rate, bpm.
    pub threshold_hr: String,
    /// Threshold pace, `m:ss` per km or mile.
    pub threshold_pace: String,
    /// `male` or `female`.
    pub sex: String,
    /// Tops of heart-rate zones 1–5, bpm, comma-separated; empty for the default zones.
    pub hr_zones: String,
}

impl AthleteForm {
    /// The form showing `athlete`, paces in `units`.
    pub fn from_athlete(athlete: &Athlete, units: UnitSystem) -> Self {
        let bpm = |v: Option<f64>| v.map(|v| format!("{v:.0}")).unwrap_or_default();
        Self {
            max_hr: bpm(athlete.max_hr),
            rest_hr: bpm(athlete.rest_hr),
            threshold_hr: bpm(athlete.threshold_hr),
            threshold_pace: athlete
                .threshold_speed
                .map(|v| format::duration(units.meters_per_unit() / v))
                .unwrap_or_default(),
            sex: match athlete.sex {
                Sex::Male => "male".into(),
                Sex::Female => "female".into(),
            },
            hr_zones: athlete
                .hr_zones
                .as_ref()
                .map(|z| {
                    z.iter()
                        .map(|v| format!("{v:.0}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
        }
    }

    /// The settings, or every problem in a sentence. Empty fields mean "not set". Pace zones
    /// follow from the threshold pace (Friel), so they are not typed in.
    pub fn parse(&self, units: UnitSystem) -> Result<Athlete, Vec<String>> {
        let mut problems = Vec::new();
        let mut bpm = |text: &str, what: &str| -> Option<f64> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<f64>() {
                Ok(v) if (25.0..=250.0).contains(&v) => Some(v),
                _ => {
                    problems.push(format!(
                        "{what}: “{text}” is not a heart rate (25–250 bpm)."
                    ));
                    None
                }
            }
        };
        let max_hr = bpm(&self.max_hr, "Maximum heart rate");
        let rest_hr = bpm(&self.rest_hr, "Resting heart rate");
        let threshold_hr = bpm(&self.threshold_hr, "Threshold heart rate");
        let pace = self.threshold_pace.trim();
        let threshold_speed = if pace.is_empty() {
            None
        } else {
            match analysis::models::race::parse_time(pace) {
                Some(s) if (120.0..=1_200.0).contains(&(s / units.meters_per_unit() * 1_000.0)) => {
                    Some(units.meters_per_unit() / s)
                }
                _ => {
                    problems.push(format!(
                        "Threshold pace: “{pace}” is not a pace per {} such as 4:30.",
                        units.distance_unit()
                    ));
                    None
                }
            }
        };
        let zones = self.hr_zones.trim();
        let hr_zones = if zones.is_empty() {
            None
        } else {
            let tops: Option<Vec<f64>> = zones
                .split([',', ' '])
                .filter(|t| !t.is_empty())
                .map(|t| t.parse::<f64>().ok().filter(|v| (25.0..=250.0).contains(v)))
                .collect();
            match tops {
                Some(t) if t.len() == 5 && t.windows(2).all(|w| w[0] < w[1]) => Some(t),
                _ => {
                    problems.push(
                        "Heart-rate zones: give the tops of zones 1 to 5, five rising numbers in bpm \
                         (e.g. 120, 140, 155, 170, 190)."
                            .into(),
                    );
                    None
                }
            }
        };
        if let (Some(rest), Some(max)) = (rest_hr, max_hr)
            && rest >= max
        {
            problems.push("Resting heart rate must be below the maximum.".into());
        }
        let sex = if self.sex == "female" {
            Sex::Female
        } else {
            Sex::Male
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Athlete {
            max_hr,
            rest_hr,
            threshold_hr,
            threshold_speed,
            sex,
            hr_zones,
            pace_zones: None,
        })
    }
}

/// `/settings`: the runner's heart rates, threshold pace and zones. Kept in this browser; every
/// run page and the dashboard recompute with them.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let athlete = use_athlete();
    let units = use_units();
    let form = RwSignal::new(AthleteForm::default());
    let problems = RwSignal::new(Vec::<String>::new());
    let saved = RwSignal::new(false);
    // Show the stored settings once they are read (after hydration), and again in new units.
    Effect::new(move |_| form.set(AthleteForm::from_athlete(&athlete.get(), units.get())));

    let field = move |get: fn(&AthleteForm) -> String, set: fn(&mut AthleteForm, String)| {
        (
            move || get(&form.get()),
            move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev);
                form.update(|f| set(f, value));
                saved.set(false);
            },
        )
    };
    let (max_hr, on_max_hr) = field(|f| f.max_hr.clone(), |f, v| f.max_hr = v);
    let (rest_hr, on_rest_hr) = field(|f| f.rest_hr.clone(), |f, v| f.rest_hr = v);
    let (threshold_hr, on_threshold_hr) =
        field(|f| f.threshold_hr.clone(), |f, v| f.threshold_hr = v);
    let (pace, on_pace) = field(|f| f.threshold_pace.clone(), |f, v| f.threshold_pace = v);
    let (zones, on_zones) = field(|f| f.hr_zones.clone(), |f, v| f.hr_zones = v);
    let (sex, on_sex) = field(|f| f.sex.clone(), |f, v| f.sex = v);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.get_untracked().parse(units.get_untracked()) {
            Ok(a) => {
                problems.set(Vec::new());
                athlete.set(a);
                saved.set(true);
            }
            Err(p) => {
                problems.set(p);
                saved.set(false);
            }
        }
    };
    let on_reset = move |_| {
        athlete.set(Athlete::default());
        problems.set(Vec::new());
        saved.set(true);
    };

    view! {
        <Title text="Settings" />
        <PageHeader
            title="Settings"
            lead="Your heart rates, threshold pace and zones. Kept in this browser; every run is recomputed with them."
        />
        <form class="settings-form" on:submit=on_submit>
            <fieldset>
                <legend>"Heart rate"</legend>
                <label>"Maximum (bpm) " <input name="max_hr" inputmode="numeric" prop:value=max_hr on:input=on_max_hr /></label>
                <label>"Resting (bpm) " <input name="rest_hr" inputmode="numeric" prop:value=rest_hr on:input=on_rest_hr /></label>
                <label>"Threshold (bpm) " <input name="threshold_hr" inputmode="numeric" prop:value=threshold_hr on:input=on_threshold_hr /></label>
                <label>
                    "Zone tops, Z1–Z5 (bpm) "
                    <input name="hr_zones" placeholder="default: 60/70/80/90/100 % of maximum" prop:value=zones on:input=on_zones />
                </label>
                <label>
                    "Sex (for TRIMP's constants) "
                    <select name="sex" prop:value=sex on:change=on_sex>
                        <option value="male">"male"</option>
                        <option value="female">"female"</option>
                    </select>
                </label>
            </fieldset>
            <fieldset>
                <legend>"Pace"</legend>
                <label>
                    {move || format!("Threshold pace (m:ss per {}) ", units.get().distance_unit())}
                    <input name="threshold_pace" placeholder="e.g. 4:30" prop:value=pace on:input=on_pace />
                </label>
                <p class="settings-form__note">
                    "About the pace you could hold for an hour. It sets the pace zones (Friel) and rTSS."
                </p>
            </fieldset>
            <ul class="settings-form__problems" role="alert">
                {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
            <p class="settings-form__actions">
                <button type="submit">"Save"</button>
                <button type="button" on:click=on_reset>"Back to defaults"</button>
                <span class="settings-form__saved" role="status">{move || saved.get().then_some("Saved.")}</span>
            </p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_form_parses_in_si() {
        let form = AthleteForm {
            max_hr: "190".into(),
            rest_hr: " 48 ".into(),
            threshold_hr: "172".into(),
            threshold_pace: "4:30".into(),
            sex: "female".into(),
            hr_zones: "120, 140, 155,170 190".into(),
        };
        let a = form.parse(UnitSystem::Metric).unwrap();
        assert_eq!(
            (a.max_hr, a.rest_hr, a.threshold_hr),
            (Some(190.0), Some(48.0), Some(172.0))
        );
        assert_eq!(a.threshold_speed, Some(1000.0 / 270.0));
        assert_eq!(a.sex, Sex::Female);
        assert_eq!(a.hr_zones, Some(vec![120.0, 140.0, 155.0, 170.0, 190.0]));
        // And back: the form shows what was typed.
        let back = AthleteForm::from_athlete(&a, UnitSystem::Metric);
        assert_eq!(back.threshold_pace, "4:30");
        assert_eq!(back.hr_zones, "120, 140, 155, 170, 190");
        // A mile pace: 7:14 /mi is 4:30 /km to the second.
        let mile = AthleteForm {
            threshold_pace: "7:14".into(),
            ..AthleteForm::default()
        };
        let speed = mile
            .parse(UnitSystem::Imperial)
            .unwrap()
            .threshold_speed
            .unwrap();
        assert!((1000.0 / speed - 269.7).abs() < 0.1);
    }

    #[test]
    fn empty_means_not_set() {
        assert_eq!(
            AthleteForm::default().parse(UnitSystem::Metric),
            Ok(Athlete::default())
        );
    }

    #[test]
    fn every_problem_is_named() {
        let form = AthleteForm {
            max_hr: "fast".into(),
            rest_hr: "60".into(),
            threshold_pace: "0:30".into(),
            hr_zones: "150, 140".into(),
            ..AthleteForm::default()
        };
        let problems = form.parse(UnitSystem::Metric).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("Maximum heart rate: “fast”"));
        assert!(problems[1].starts_with("Threshold pace: “0:30”"));
        assert!(problems[2].starts_with("Heart-rate zones"));
        let inverted = AthleteForm {
            max_hr: "150".into(),
            rest_hr: "160".into(),
            ..AthleteForm::default()
        };
        assert_eq!(
            inverted.parse(UnitSystem::Metric).unwrap_err(),
            ["Resting heart rate must be below the maximum."]
        );
    }
}
