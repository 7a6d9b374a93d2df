use std::sync::Arc;

use analysis::models;
use analysis::models::dashboard::{Dashboard, RacePrediction};
use analysis::models::readiness::Level;
#[cfg(feature = "hydrate")]
use analysis::models::{LoadKind, RunPoint};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::PageHeader;
use crate::components::charts::PmcChart;
use crate::components::charts::pmc_chart::day_text;
#[cfg(feature = "hydrate")]
use crate::models::LocalRun;

/// `YYYY-MM-DD` as a day number.
fn parse_day(text: &str) -> Option<i32> {
    let mut parts = text.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    i32::try_from(models::days_from_civil(y, m, d)).ok()
}

/// What the page shows while it reads the library.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Loaded {
    Waiting,
    Failed(String),
    Ready(Arc<Dashboard>),
}

/// `/dashboard`: fitness, fatigue and form, weekly load, readiness and race predictions, from
/// the runs in this browser's library (no account). `?day=YYYY-MM-DD` shows another day.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let loaded = RwSignal::new(Loaded::Waiting);
    let day = move || query.read().get("day").and_then(|d| parse_day(&d));

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let chosen = day();
        leptos::task::spawn_local(async move {
            let runs = match crate::browser::library::all_runs().await {
                Ok(runs) => runs,
                Err(e) => {
                    loaded.set(Loaded::Failed(e.to_string()));
                    return;
                }
            };
            let points: Vec<RunPoint> = runs
                .iter()
                .filter_map(|r: &LocalRun| RunPoint::from_summary(&r.summary))
                .collect();
            let today =
                chosen.unwrap_or_else(|| (js_sys::Date::now() / 86_400_000.0).floor() as i32);
            loaded.set(Loaded::Ready(Arc::new(models::dashboard::dashboard(
                &points,
                today,
                LoadKind::Trimp,
            ))));
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = day;

    view! {
        <Title text="Dashboard" />
        <PageHeader
            title="Dashboard"
            lead="Fitness, fatigue and form, readiness and race predictions, computed on this device from your library."
        />
        {move || match loaded.get() {
            Loaded::Waiting => view! { <p role="status">"Reading your library…"</p> }.into_any(),
            Loaded::Failed(reason) => view! { <p role="alert">{reason}</p> }.into_any(),
            Loaded::Ready(d) if d.runs == 0 => view! {
                <section class="empty-state">
                    <h2>"No runs yet"</h2>
                    <p>"Import your runs on the " <a href="/runs">"Runs page"</a> "; this page then charts your training from them."</p>
                </section>
            }
            .into_any(),
            Loaded::Ready(d) => view! { <DashboardView d /> }.into_any(),
        }}
    }
}

#[component]
fn DashboardView(d: Arc<Dashboard>) -> impl IntoView {
    let today = d.current;
    let tile = |id: &'static str, label: &'static str, value: Option<f64>, text: String| {
        value.map(|v| {
            view! {
                <div class="metric-tile" data-metric=id data-value=v.to_string()>
                    <span class="metric-tile__label">{label}</span>
                    <span class="metric-tile__value">{text}</span>
                </div>
            }
        })
    };
    let tiles = view! {
        <section class="metric-tiles" aria-label="Today">
            {tile("ctl", "Fitness (CTL)", today.map(|p| p.ctl), today.map(|p| format!("{:.1}", p.ctl)).unwrap_or_default())}
            {tile("atl", "Fatigue (ATL)", today.map(|p| p.atl), today.map(|p| format!("{:.1}", p.atl)).unwrap_or_default())}
            {tile("tsb", "Form (TSB)", today.map(|p| p.tsb), today.map(|p| format!("{:+.1}", p.tsb)).unwrap_or_default())}
            <div class="metric-tile" data-metric="runs" data-value=d.runs.to_string()>
                <span class="metric-tile__label">"Runs"</span>
                <span class="metric-tile__value">{d.runs}</span>
            </div>
        </section>
    };
    // The chart: the last 180 days.
    let shown: Vec<_> = d.pmc.iter().rev().take(180).rev().copied().collect();
    let r = &d.readiness;
    let verdict = format!("{:?}", r.verdict);
    let signals = r
        .signals
        .iter()
        .map(|s| {
            let level = match s.level {
                Level::Missing => "missing",
                Level::Good => "good",
                Level::Caution => "caution",
                Level::Warning => "warning",
                _ => "other",
            };
            view! { <li class=format!("readiness__signal readiness__signal--{level}") data-level=level>{s.text.clone()}</li> }
        })
        .collect_view();
    let max_load = d.weekly.iter().map(|w| w.load).fold(1.0, f64::max);
    let weeks = d
        .weekly
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let h = w.load / max_load * 100.0;
            let title = format!(
                "{}: load {:.0}, {:.1} km in {} runs",
                w.label,
                w.load,
                w.distance_m / 1000.0,
                w.runs
            );
            view! {
                <rect
                    class="load-bars__bar"
                    data-week=w.label.clone()
                    data-value=w.load.to_string()
                    x=format!("{}", i * 20 + 2)
                    y=format!("{:.1}", 100.0 - h)
                    width="16"
                    height=format!("{h:.1}")
                >
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    let width = (d.weekly.len() * 20).max(20);
    let predictions = d
        .predictions
        .iter()
        .cloned()
        .map(|p| view! { <PredictionCard p /> })
        .collect_view();
    view! {
        <p class="dashboard__day">{format!("As of {}; load: {}; from {} runs.", day_text(d.today), d.load.id(), d.runs)}</p>
        {tiles}
        <section class="run-section readiness" data-verdict=verdict.clone()>
            <h2>{format!("Readiness: {}", verdict_words(&verdict))}</h2>
            <p>{r.summary.clone()}</p>
            <ul>{signals}</ul>
            <details><summary>"How is this computed?"</summary><p>{r.method.clone()}</p></details>
        </section>
        <section class="run-section">
            <h2>"Fitness, fatigue and form"</h2>
            <PmcChart points=Arc::new(shown) />
            <p class="run-section__note">
                "Each day's load is the TRIMP of its runs. Fitness is its 42-day and fatigue its 7-day exponentially "
                "weighted average; form is yesterday's fitness minus fatigue."
                {(d.missing_load_runs > 0).then(|| format!(" {} runs without heart rate count as zero load.", d.missing_load_runs))}
            </p>
        </section>
        <section class="run-section">
            <h2>"Weekly load"</h2>
            <svg class="load-bars" viewBox=format!("0 0 {width} 100") preserveAspectRatio="none" role="img" aria-label="Weekly load">
                {weeks}
            </svg>
        </section>
        <section class="run-section">
            <h2>"Race predictions"</h2>
            <p class="run-section__note">{format!("From {} best efforts inside your runs.", d.efforts)}</p>
            <div class="predictions">{predictions}</div>
        </section>
    }
}

fn verdict_words(debug: &str) -> &'static str {
    match debug {
        "Fresh" => "fresh",
        "Productive" => "productive",
        "Fatigued" => "fatigued",
        "Strained" => "strained",
        _ => "not enough data",
    }
}

/// One race distance: Stride's time and interval, the others beside it, and how it was computed.
#[component]
fn PredictionCard(p: RacePrediction) -> impl IntoView {
    let time = models::race::format_time;
    let main = p.stride.clone().or_else(|| p.others.first().cloned());
    let (seconds, method) = (
        main.as_ref().map(|m| m.seconds.to_string()),
        main.as_ref().map(|m| m.method.id()),
    );
    view! {
        <article class="prediction" data-target=p.target_m.to_string()
            data-value=seconds data-method=method>
            <h3>{p.label.clone()}</h3>
            {match main.clone() {
                Some(m) => view! {
                    <p class="prediction__time">{time(m.seconds)}</p>
                    <p class="prediction__range">{format!("{} – {} ({})", time(m.low_s), time(m.high_s), m.method.id())}</p>
                }.into_any(),
                None => view! { <p class="prediction__time">"–"</p><p>"Not enough efforts yet."</p> }.into_any(),
            }}
            <details>
                <summary>"How is this computed?"</summary>
                {main.map(|m| view! {
                    <p>{m.explanation.clone()}</p>
                    <p class="run-section__note">{m.source.clone()}</p>
                    <p>{format!("Efforts used: {}", m.efforts.iter().map(|e| format!("{:.0} m in {}", e.distance_m, time(e.seconds))).collect::<Vec<_>>().join(", "))}</p>
                })}
                <table class="prediction__others">
                    <tbody>
                        {p.others.iter().map(|o| view! {
                            <tr data-method=o.method.id() data-value=o.seconds.to_string()>
                                <th scope="row">{o.method.id()}</th>
                                <td>{time(o.seconds)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(
            parse_day("2019-06-30").map(day_text).as_deref(),
            Some("2019-06-30")
        );
        assert_eq!(parse_day("2019-13-01"), None);
        assert_eq!(parse_day("yesterday"), None);
    }
}
