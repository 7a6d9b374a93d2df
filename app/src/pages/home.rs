use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::format;
use crate::providers::use_units;

/// Distances a runner knows by heart, shown in the chosen units.
const RACES: [(&str, f64); 4] = [
    ("5K", 5_000.0),
    ("10K", 10_000.0),
    ("Half marathon", 21_097.5),
    ("Marathon", 42_195.0),
];

/// The landing page.
#[component]
pub fn HomePage() -> impl IntoView {
    let units = use_units();
    view! {
        <Title text="" />
        <section class="hero">
            <h1 class="hero__title">"Your runs, analysed on your own device."</h1>
            <p class="hero__lead">
                "Stride reads your watch over Bluetooth or the files you drop, and analyses every run "
                "right here in the browser: offline, fast, and with nothing uploaded unless you choose to sync."
            </p>
            <div class="hero__actions">
                <A href="/runs" attr:class="button button--primary">"Import runs"</A>
                <A href="/watch" attr:class="button">"Connect a watch"</A>
            </div>
        </section>
        <section class="cards" aria-label="What Stride does">
            <article class="card">
                <h2 class="card__title">"Every run, analysed"</h2>
                <p>"Splits, zones, best efforts, grade-adjusted pace, running dynamics and load, from FIT, GPX and TCX files."</p>
            </article>
            <article class="card">
                <h2 class="card__title">"Fitness and fatigue"</h2>
                <p>"Fitness, fatigue and form from your training load, with race predictions that show how they are computed."</p>
            </article>
            <article class="card">
                <h2 class="card__title">"Coaches and plans"</h2>
                <p>"Share runs with a coach, follow a community plan, and export workouts to your watch."</p>
            </article>
        </section>
        <section class="race-distances" aria-labelledby="race-distances-title">
            <h2 id="race-distances-title">"Race distances"</h2>
            <dl class="race-distances__list">
                {RACES
                    .into_iter()
                    .map(|(name, meters)| {
                        view! {
                            <div class="race-distances__item">
                                <dt>{name}</dt>
                                <dd data-meters=meters.to_string()>
                                    {move || format::distance(meters, units.get())}
                                </dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}
