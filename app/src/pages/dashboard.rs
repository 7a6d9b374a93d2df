use std::sync::Arc;

use analysis::RunSummary;
use analysis::models;
use analysis::models::LoadKind;
use analysis::models::dashboard::{Dashboard, DashboardSettings, RacePrediction};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::PageHeader;
use crate::components::LibraryRefresh;
use crate::components::charts::pmc_chart::day_text;
use crate::components::charts::{PmcChart, TrendChart, TrendData};
use crate::format;
#[cfg(feature = "hydrate")]
use crate::models::LocalRun;
use crate::providers::use_athlete;

/// `YYYY-MM-DD` as a day number.
fn parse_day(text: &str) -> Option<i32> {
    i32::try_from(analysis::time::parse_date(text)?).ok()
}

/// What the page shows while it reads the library.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Loaded {
    Waiting,
    /// Summaries made by an older build are being made again: (done, total).
    Refreshing(usize, usize),
    Failed(String),
    Ready(Arc<Vec<RunSummary>>),
}

/// The load kinds the runner can choose, with their names.
const LOAD_KINDS: [(LoadKind, &str); 3] = [
    (LoadKind::Trimp, "TRIMP (Banister)"),
    (LoadKind::HrTss, "hrTSS"),
    (LoadKind::RTss, "rTSS (needs a threshold pace)"),
];

/// `/dashboard`: fitness, fatigue and form, ACWR, weekly load, the Banister model, readiness,
/// VO2max, HRV, resting heart rate, sleep and race predictions, from the runs in this browser's
/// library (no account), for the runner's settings. `?day=YYYY-MM-DD` shows another day.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let loaded = RwSignal::new(Loaded::Waiting);
    let athlete = use_athlete();
    let day = Memo::new(move |_| query.read().get("day").and_then(|d| parse_day(&d)));

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let progress = |done, total| loaded.set(Loaded::Refreshing(done, total));
            match crate::browser::library::refresh_stale(progress).await {
                Ok(runs) => loaded.set(Loaded::Ready(Arc::new(
                    runs.into_iter().map(|r: LocalRun| r.summary).collect(),
                ))),
                Err(e) => loaded.set(Loaded::Failed(e.to_string())),
            }
        });
    });

    // Recomputed when the settings, the dashboard's choices or the day change.
    let computed = Memo::new(move |_| {
        let Loaded::Ready(summaries) = loaded.get() else {
            return None;
        };
        let a = athlete.get();
        let history = models::History::from_summaries(summaries.iter(), &a);
        let today = day.get().unwrap_or_else(today_utc);
        let last_run = history.runs.iter().map(|r| r.day).max();
        Some((
            Arc::new(models::dashboard::dashboard(
                &history,
                today,
                &athlete.dashboard(),
                &a,
            )),
            last_run,
        ))
    });

    view! {
        <Title text="Dashboard" />
        <PageHeader
            title="Dashboard"
            lead="Fitness, fatigue and form, readiness, VO2max, HRV and race predictions, computed on this device from your library."
        />
        {move || match (loaded.get(), computed.get()) {
            (Loaded::Waiting, _) => view! { <p role="status">"Reading your library…"</p> }.into_any(),
            (Loaded::Refreshing(done, total), _) => view! { <LibraryRefresh done total /> }.into_any(),
            (Loaded::Failed(reason), _) => view! { <p role="alert">{reason}</p> }.into_any(),
            (_, Some((d, _))) if d.runs == 0 => view! {
                <section class="empty-state">
                    <h2>"No runs yet"</h2>
                    <p>"Import your runs on the " <a href="/runs">"Runs page"</a> "; this page then charts your training from them."</p>
                </section>
            }
            .into_any(),
            (_, Some((d, last_run))) => {
                let stale = last_run.and_then(|last| stale_notice(d.today, last));
                view! { {stale} <DashboardControls /> <DashboardView d /> }.into_any()
            }
            (_, None) => view! { <p role="status">"Reading your library…"</p> }.into_any(),
        }}
    }
}

/// How many days after the last run the dashboard says that its figures have decayed, and
/// offers the dashboard as of that run (fitness halves in about a month without training).
pub const STALE_AFTER_DAYS: i32 = 28;

/// When the day shown is long after the last run: when that was, and a link to the dashboard
/// as of that day (a library of old runs otherwise shows zeros "as of today").
fn stale_notice(day: i32, last_run: i32) -> Option<impl IntoView> {
    let gap = day - last_run;
    (gap > STALE_AFTER_DAYS).then(|| {
        let last = day_text(last_run);
        view! {
            <p class="dashboard__stale" role="note" data-testid="dashboard-stale">
                {format!(
                    "Your last run was on {last}, {} ago: fitness and fatigue have decayed since, and the figures below are as of {}. ",
                    days_words(gap),
                    day_text(day)
                )}
                <a href=format!("/dashboard?day={last}")>{format!("See the dashboard as of {last}")}</a>
            </p>
        }
    })
}

/// `3 days`, `5 weeks`, `14 months`, `4.1 years`.
fn days_words(days: i32) -> String {
    match days {
        0..=13 => format!("{days} days"),
        14..=89 => format!("{} weeks", days / 7),
        90..=729 => format!("{} months", days * 12 / 365),
        _ => format!("{:.1} years", f64::from(days) / 365.25),
    }
}

/// Today, days since 1970-01-01 (UTC, as the runs' days).
fn today_utc() -> i32 {
    #[cfg(feature = "hydrate")]
    return (js_sys::Date::now() / 86_400_000.0).floor() as i32;
    #[cfg(not(feature = "hydrate"))]
    0
}

/// The load kind and the time constants, kept with the settings in this browser.
#[component]
fn DashboardControls() -> impl IntoView {
    let athlete = use_athlete();
    let problem = RwSignal::new(None::<String>);
    let ctl = RwSignal::new(String::new());
    let atl = RwSignal::new(String::new());
    Effect::new(move |_| {
        let s = athlete.dashboard();
        ctl.set(format!("{}", s.ctl_days));
        atl.set(format!("{}", s.atl_days));
    });
    let on_load = move |ev: leptos::ev::Event| {
        if let Some(kind) = LoadKind::from_id(&event_target_value(&ev)) {
            let s = athlete.dashboard();
            athlete.set_dashboard(DashboardSettings { load: kind, ..s });
        }
    };
    let apply = move || {
        let parse = |t: String| t.trim().parse::<f64>().ok();
        let (Some(c), Some(a)) = (parse(ctl.get_untracked()), parse(atl.get_untracked())) else {
            problem.set(Some("Time constants are numbers of days.".to_owned()));
            return;
        };
        let s = DashboardSettings {
            ctl_days: c,
            atl_days: a,
            ..athlete.dashboard()
        };
        match s.problem() {
            Some(p) => problem.set(Some(p)),
            None => {
                problem.set(None);
                athlete.set_dashboard(s);
            }
        }
    };
    let current = move || athlete.dashboard().load.id();
    view! {
        <form class="dashboard-controls" on:submit=move |ev| { ev.prevent_default(); apply(); }>
            <label>
                "Load "
                <select name="load" prop:value=current on:change=on_load>
                    {LOAD_KINDS.iter().map(|(k, name)| view! { <option value=k.id()>{*name}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Fitness (CTL) days "
                <input name="ctl_days" inputmode="decimal" size="4" prop:value=move || ctl.get()
                    on:input=move |ev| ctl.set(event_target_value(&ev)) />
            </label>
            <label>
                "Fatigue (ATL) days "
                <input name="atl_days" inputmode="decimal" size="4" prop:value=move || atl.get()
                    on:input=move |ev| atl.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="button button--small">"Apply"</button>
            <button type="button" class="button button--small" on:click=move |_| {
                problem.set(None);
                athlete.set_dashboard(DashboardSettings::default());
            }>"42/7, TRIMP"</button>
            <span class="dashboard-controls__problem" role="alert">{move || problem.get()}</span>
        </form>
    }
}

fn load_name(kind: LoadKind) -> &'static str {
    match kind {
        LoadKind::Trimp => "TRIMP",
        LoadKind::HrTss => "hrTSS",
        LoadKind::RTss => "rTSS",
    }
}

#[component]
fn DashboardView(d: Arc<Dashboard>) -> impl IntoView {
    let today = d.current;
    let tile = |id: &'static str, label: &'static str, value: Option<f64>, text: String| {
        view! {
            <div class="metric-tile" class:metric-tile--empty=value.is_none() data-metric=id data-value=value.map(|v| v.to_string())>
                <span class="metric-tile__label">{label}</span>
                <span class="metric-tile__value">{if value.is_some() { text } else { "–".to_owned() }}</span>
            </div>
        }
    };
    let acwr_ratio = d.acwr.point.and_then(|p| p.ratio);
    let tiles = view! {
        <section class="metric-tiles" aria-label="Today">
            {tile("ctl", "Fitness (CTL)", today.map(|p| p.ctl), today.map(|p| format!("{:.1}", p.ctl)).unwrap_or_default())}
            {tile("atl", "Fatigue (ATL)", today.map(|p| p.atl), today.map(|p| format!("{:.1}", p.atl)).unwrap_or_default())}
            {tile("tsb", "Form (TSB)", today.map(|p| p.tsb), today.map(|p| format!("{:+.1}", p.tsb)).unwrap_or_default())}
            {tile("acwr", "ACWR (see its critique)", acwr_ratio, acwr_ratio.map(|r| format!("{r:.2}")).unwrap_or_default())}
            {tile("vo2max", "VO2max (ml/kg/min)", d.vo2max.current, d.vo2max.current.map(|v| format!("{v:.1}")).unwrap_or_default())}
            <div class="metric-tile" data-metric="runs" data-value=d.runs.to_string()>
                <span class="metric-tile__label">"Runs"</span>
                <span class="metric-tile__value">{d.runs}</span>
            </div>
        </section>
    };
    // The chart: the last 180 days.
    let shown: Vec<_> = d.pmc.iter().rev().take(180).rev().copied().collect();
    let r = &d.readiness;
    let verdict = r.verdict;
    let signals = r
        .signals
        .iter()
        .map(|s| {
            let level = s.level.id();
            let kind = s.kind.id();
            let driver = r.drivers.contains(&s.kind);
            view! {
                <li class=format!("readiness__signal readiness__signal--{level}") data-level=level data-kind=kind
                    data-driver=driver.then_some("true") data-value=s.value.map(|v| v.to_string())>{s.text.clone()}</li>
            }
        })
        .collect_view();
    let drivers = r
        .drivers
        .iter()
        .map(|k| k.id())
        .collect::<Vec<_>>()
        .join(" ");
    // A chart with nothing on it says why, and when the last load was.
    let last_load = d.pmc.iter().rev().find(|p| p.load > 0.0).map(|p| p.day);
    let since = |what: &str| match last_load {
        Some(day) => format!(
            "{what}: no run with a load in that time; the last was on {}.",
            day_text(day)
        ),
        None => format!(
            "{what}: no run with a {} load yet.",
            load_name(d.settings.load)
        ),
    };
    let pmc_empty = shown.iter().all(|p| p.load <= 0.0).then(|| {
        since(&format!(
            "Nothing to draw in the {} days shown",
            shown.len()
        ))
    });
    let weeks_empty = d
        .weekly
        .iter()
        .all(|w| w.load <= 0.0)
        .then(|| since(&format!("No load in the last {} weeks", d.weekly.len())));
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
        .map(|p| view! { <PredictionCard p today=d.today /> })
        .collect_view();
    let s = d.settings;
    let pmc_note = format!(
        "Each day's load is the {} of its runs (for your settings). Fitness is its {}-day and fatigue its {}-day exponentially \
         weighted average (daily factors {:.6} and {:.6}); form is yesterday's fitness minus fatigue. {} days from the first run.",
        load_name(s.load),
        s.ctl_days,
        s.atl_days,
        models::pmc::factor(s.ctl_days),
        models::pmc::factor(s.atl_days),
        d.pmc.len()
    );
    view! {
        <p class="dashboard__day">{format!("As of {}; load: {}; from {} runs.", day_text(d.today), d.load.id(), d.runs)}</p>
        {tiles}
        <section class="run-section readiness" data-verdict=verdict.id() data-drivers=drivers>
            <h2>{format!("Readiness: {}", verdict.words())}</h2>
            <p>{r.summary.clone()}</p>
            <ul>{signals}</ul>
            <details><summary>"How is this computed?"</summary><p>{r.method.clone()}</p><p class="run-section__note">{r.source.clone()}</p></details>
        </section>
        <section class="run-section">
            <h2>"Fitness, fatigue and form"</h2>
            {pmc_empty.map(|why| view! { <p class="trend__empty" data-empty="pmc">{why}</p> })}
            <PmcChart points=Arc::new(shown) />
            <p class="run-section__note">
                {pmc_note}
                {(d.missing_load_runs > 0).then(|| format!(" {} runs without this load count as zero.", d.missing_load_runs))}
            </p>
        </section>
        <AcwrSection d=d.clone() />
        <section class="run-section">
            <h2>"Weekly load"</h2>
            {weeks_empty.map(|why| view! { <p class="trend__empty" data-empty="weekly-load">{why}</p> })}
            <svg class="load-bars" viewBox=format!("0 0 {width} 100") preserveAspectRatio="none" role="img" aria-label="Weekly load">
                {weeks}
            </svg>
        </section>
        <BanisterSection d=d.clone() />
        <Vo2maxSection d=d.clone() />
        <HrvSection d=d.clone() />
        <RestingHrSection d=d.clone() />
        <SleepSection d=d.clone() />
        <section class="run-section">
            <h2>"Race predictions"</h2>
            <p class="run-section__note">{format!("From {} best efforts inside your runs.", d.efforts)}</p>
            <div class="predictions">{predictions}</div>
        </section>
    }
    .into_any()
}

/// ACWR, never without its critique.
#[component]
fn AcwrSection(d: Arc<Dashboard>) -> impl IntoView {
    let a = &d.acwr;
    let text = match a.point {
        Some(p) => match p.ratio {
            Some(r) => format!(
                "Acute {:.1}, chronic {:.1} a day: ratio {r:.2}.",
                p.acute, p.chronic
            ),
            None => format!(
                "Acute {:.1}, chronic {:.1} a day: not enough data for a ratio (28 days of load with a positive chronic load are needed).",
                p.acute, p.chronic
            ),
        },
        None => "Not enough data: no load up to this day.".to_owned(),
    };
    let (low, high) = a.sweet_spot;
    let ratios: Vec<(i32, f64)> = a
        .series
        .iter()
        .filter_map(|p| Some((p.day, p.ratio?)))
        .collect();
    let data = TrendData {
        points: ratios.clone(),
        line: ratios,
        band: a.series.iter().map(|p| (p.day, low, high)).collect(),
        reference: None,
        decimals: 2,
        unit: "",
    };
    let chart = (!a.series.is_empty()).then(|| {
        view! {
            <TrendChart id="acwr" label="Acute:chronic workload ratio" data=Arc::new(data)
                legend=vec![("rgb(17,24,39)", "ratio, day by day"), ("rgba(37,99,235,0.3)", "the quoted \"sweet spot\" 0.8–1.3")] />
        }
    });
    view! {
        <section class="run-section acwr" data-acwr=a.point.and_then(|p| p.ratio).map(|r| r.to_string())
            data-days=a.series.len().to_string()>
            <h2>"Acute:chronic workload ratio"</h2>
            <p>{text}</p>
            {chart}
            <p class="acwr__critique"><strong>"Read with care: "</strong>{a.critique.clone()}</p>
            <p class="acwr__sweet-spot run-section__note">{a.sweet_spot_note.clone()}</p>
            <details><summary>"How is this computed?"</summary><p>{a.method.clone()}</p></details>
        </section>
    }
}

/// The fitted Banister model, or why the defaults are used.
#[component]
fn BanisterSection(d: Arc<Dashboard>) -> impl IntoView {
    let b = &d.banister;
    let body = match &b.fit {
        None => view! { <p>"Not enough data: no performance to fit (a best effort of 1500 m or more inside a run)."</p> }.into_any(),
        Some(fit) => {
            let p = fit.params;
            let status = match fit.status {
                models::FitStatus::Fitted => "fitted",
                models::FitStatus::DefaultTimeConstants => "default_time_constants",
                models::FitStatus::TooFewPerformances => "too_few_performances",
            };
            view! {
                <table class="banister__params" data-status=status data-n=fit.n.to_string()
                    data-rmse=fit.rmse.to_string() data-k1=p.k1.to_string() data-k2=p.k2.to_string()
                    data-tau1=p.tau1.to_string() data-tau2=p.tau2.to_string() data-p0=p.p0.to_string()>
                    <tbody>
                        <tr><th scope="row">"Fitness gain k1"</th><td>{format!("{:.4}", p.k1)}</td><th scope="row">"time constant τ1"</th><td>{format!("{:.0} days", p.tau1)}</td></tr>
                        <tr><th scope="row">"Fatigue gain k2"</th><td>{format!("{:.4}", p.k2)}</td><th scope="row">"time constant τ2"</th><td>{format!("{:.0} days", p.tau2)}</td></tr>
                        <tr><th scope="row">"Baseline p0"</th><td>{format!("{:.1} VDOT", p.p0)}</td><th scope="row">"error (RMSE)"</th>
                            <td>{format!("{:.2} VDOT over {} performances{}", fit.rmse, fit.n, fit.r2.map(|r| format!(", r² {r:.2}")).unwrap_or_default())}</td></tr>
                    </tbody>
                </table>
                <p>{fit.note.clone()}</p>
            }
            .into_any()
        }
    };
    view! {
        <section class="run-section banister">
            <h2>"Your response to training (Banister model)"</h2>
            {body}
            <details>
                <summary>"How is this computed?"</summary>
                <p>{b.method.clone()}</p>
                <p>{format!("A performance is {}. {} performances in your runs.", b.performance, b.performances)}</p>
                <p class="run-section__note">{b.source.clone()}</p>
            </details>
        </section>
    }
}

/// The VO2max trend: per-run estimates, their rolling median, Uth's value.
#[component]
fn Vo2maxSection(d: Arc<Dashboard>) -> impl IntoView {
    let v = &d.vo2max;
    let from = d.today - (models::dashboard::DAYS_SHOWN - 1);
    let shown: Vec<_> = v.points.iter().filter(|p| p.day >= from).collect();
    let data = TrendData {
        points: shown.iter().map(|p| (p.day, p.vo2max)).collect(),
        line: shown.iter().map(|p| (p.day, p.rolling)).collect(),
        band: Vec::new(),
        reference: v.uth.map(|u| (u, "Uth")),
        decimals: 1,
        unit: "ml/kg/min",
    };
    let chart = (!data.points.is_empty()).then(|| {
        view! {
            <TrendChart id="vo2max" label="VO2max by run" data=Arc::new(data)
                legend=vec![("rgb(17,24,39)", "per run"), ("rgb(37,99,235)", "42-day median"), ("rgb(234,88,12)", "Uth (HRmax/HRrest)")] />
        }
    });
    let empty = chart.is_none().then(|| {
        view! { <p class="trend__empty">{format!("Not enough data: no run in the last {} days with steady stretches of heart rate and pace that allow an estimate.", models::dashboard::DAYS_SHOWN)}</p> }
    });
    view! {
        <section class="run-section vo2max" data-current=v.current.map(|c| c.to_string()) data-uth=v.uth.map(|u| u.to_string())
            data-estimates=v.points.len().to_string()>
            <h2>"VO2max"</h2>
            {chart}
            {empty}
            <p class="run-section__note">{v.explanation.clone()}</p>
        </section>
    }
}

/// Overnight HRV against its band, and the runs' rMSSD.
#[component]
fn HrvSection(d: Arc<Dashboard>) -> impl IntoView {
    let h = &d.hrv;
    let data = TrendData {
        points: h.nights.iter().map(|n| (n.day, n.value.ln())).collect(),
        line: h.trend.iter().map(|t| (t.day, t.rolling_ln)).collect(),
        band: h.trend.iter().map(|t| (t.day, t.low, t.high)).collect(),
        reference: None,
        decimals: 2,
        unit: "ln ms",
    };
    let chart = (!h.trend.is_empty()).then(|| {
        view! {
            <TrendChart id="hrv" label="Overnight HRV" data=Arc::new(data)
                legend=vec![("rgb(17,24,39)", "night (ln rMSSD)"), ("rgb(37,99,235)", "7-day mean"), ("rgba(37,99,235,0.3)", "60-day baseline ± 0.5 SD")] />
        }
    });
    let runs = (!h.runs.is_empty()).then(|| {
        view! {
            <p class="hrv__runs">"rMSSD during runs (artefacts removed; exercise values, not part of the band): "
                {h.runs.iter().map(|r| view! { <span class="hrv__run" data-day=day_text(r.day) data-value=r.value.to_string()>{format!("{} {:.1} ms; ", day_text(r.day), r.value)}</span> }).collect_view()}
            </p>
        }
    });
    view! {
        <section class="run-section hrv" data-band=h.status.as_ref().map(|s| s.band.id())>
            <h2>"Heart-rate variability"</h2>
            {chart}
            <p class="run-section__note">{h.explanation.clone()}</p>
            {runs}
        </section>
    }
}

/// The resting heart rate against its baseline.
#[component]
fn RestingHrSection(d: Arc<Dashboard>) -> impl IntoView {
    let r = &d.resting_hr;
    let data = TrendData {
        points: r.days.iter().map(|v| (v.day, v.value)).collect(),
        line: r.trend.iter().map(|t| (t.day, t.rolling_bpm)).collect(),
        band: r
            .trend
            .iter()
            .map(|t| {
                (
                    t.day,
                    t.baseline_bpm - t.baseline_sd,
                    t.baseline_bpm + t.baseline_sd.max(3.0),
                )
            })
            .collect(),
        reference: None,
        decimals: 0,
        unit: "bpm",
    };
    let chart = (!r.trend.is_empty()).then(|| {
        view! {
            <TrendChart id="resting-hr" label="Resting heart rate" data=Arc::new(data)
                legend=vec![("rgb(17,24,39)", "day"), ("rgb(37,99,235)", "7-day mean"), ("rgba(37,99,235,0.3)", "normal range (baseline − SD to + max(3 bpm, SD))")] />
        }
    });
    view! {
        <section class="run-section resting-hr" data-deviation=r.status.as_ref().map(|s| s.deviation_bpm.to_string())
            data-days=r.days.len().to_string()>
            <h2>"Resting heart rate"</h2>
            {chart}
            <p class="run-section__note">{r.explanation.clone()}</p>
        </section>
    }
}

/// Sleep, where the files carry it.
#[component]
fn SleepSection(d: Arc<Dashboard>) -> impl IntoView {
    let s = &d.sleep;
    let text = if s.nights == 0 {
        "No sleep data: sleep files of a watch (FIT sleep_level and sleep_assessment) add it."
            .to_owned()
    } else {
        let last = s
            .last_score
            .map(|v| {
                format!(
                    "Last night with a score ({}): {:.0}.",
                    day_text(v.day),
                    v.value
                )
            })
            .unwrap_or_default();
        let dur = s
            .last_duration
            .map(|v| {
                format!(
                    " Time asleep ({}): {}.",
                    day_text(v.day),
                    crate::format::duration(v.value)
                )
            })
            .unwrap_or_default();
        let week = s
            .week_score
            .map(|(m, n)| format!(" 7-day mean score {m:.0} over {n} nights."))
            .unwrap_or_default();
        format!(
            "{last}{dur}{week} {} nights with sleep data; scores are the device's own.",
            s.nights
        )
    };
    view! {
        <section class="run-section sleep" data-nights=s.nights.to_string()
            data-last-score=s.last_score.map(|v| v.value.to_string())
            data-last-duration=s.last_duration.map(|v| v.value.to_string())
            data-week-score=s.week_score.map(|(m, _)| m.to_string())
            data-week-nights=s.week_score.map(|(_, n)| n.to_string())>
            <h2>"Sleep"</h2>
            <p>{text}</p>
        </section>
    }
}

/// One race distance: Stride's time and interval, the others beside it, and how it was computed.
#[component]
fn PredictionCard(p: RacePrediction, today: i32) -> impl IntoView {
    let time = models::race::format_time;
    let main = p.stride.clone().or_else(|| p.others.first().cloned());
    let (seconds, method) = (
        main.as_ref().map(|m| m.seconds.to_string()),
        main.as_ref().map(|m| m.method.id()),
    );
    let ages = main.as_ref().and_then(|m| m.effort_ages(today));
    let holds = main.as_ref().is_none_or(|m| m.interval_holds(today));
    view! {
        <article class="prediction" data-target=p.target_m.to_string()
            data-value=seconds data-method=method data-stale=(!holds).then_some("true")
            data-newest-days=ages.map(|a| a.newest_days.to_string())>
            <h3>{p.label.clone()}</h3>
            {match main.clone() {
                Some(m) if holds => view! {
                    <p class="prediction__time">{time(m.seconds)}</p>
                    <p class="prediction__range">{format!("{} – {} ({})", time(m.low_s), time(m.high_s), m.method.id())}</p>
                    {ages.map(|a| view! { <p class="prediction__age">{format!("Efforts {}", format::efforts_age(a.newest_days, a.oldest_days))}</p> })}
                }.into_any(),
                Some(m) => view! {
                    <p class="prediction__time">{time(m.seconds)}</p>
                    <p class="prediction__range">{format!(
                        "No interval ({}): its efforts are {}, more than {} weeks. What you could run then, not a forecast for today.",
                        m.method.id(),
                        ages.map(|a| format::efforts_age(a.newest_days, a.oldest_days)).unwrap_or_default(),
                        models::FRESH_EFFORT_DAYS / 7,
                    )}</p>
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
