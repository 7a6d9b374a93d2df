use leptos::prelude::*;

use super::PageHeader;
use crate::format;
use crate::models::records::{Record, records};
use crate::providers::use_units;

/// `/records`: personal records by distance over the whole library (running only), each with
/// its run and date, and how it came down over time. Read from this device's library after
/// hydration.
#[component]
pub fn RecordsPage() -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<Record>, String>>);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let read = crate::browser::library::all_runs().await;
            list.set(Some(
                read.map(|runs| records(&runs)).map_err(|e| e.to_string()),
            ));
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = records;

    view! {
        <PageHeader
            title="Records"
            lead="Your fastest time over each distance, from every run in your library (running only), and how each record came down."
        />
        {move || match list.get() {
            None => view! { <p role="status">"Reading your library…"</p> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e}</p> }.into_any(),
            Some(Ok(records)) if records.is_empty() => view! {
                <section class="empty-state">
                    <h2>"No records yet"</h2>
                    <p>"Records come from the best efforts inside your runs, from 400 m up. " <a href="/runs">"Import runs"</a> " to see them."</p>
                </section>
            }
            .into_any(),
            Some(Ok(records)) => view! { <RecordsTable records /> }.into_any(),
        }}
    }
}

#[component]
fn RecordsTable(records: Vec<Record>) -> impl IntoView {
    let units = use_units();
    let rows = records
        .into_iter()
        .filter_map(|r| {
            let best = r.best()?.clone();
            let speed = r.meters / best.seconds;
            let progression = r
                .progression
                .iter()
                .rev()
                .map(|e| {
                    view! {
                        <li data-run-id=e.run_id.clone()>
                            <a href=format!("/runs/{}", e.run_id)>{e.start_time.get(..10).unwrap_or("–").to_owned()}</a>
                            " · "
                            {format::duration(e.seconds)}
                        </li>
                    }
                })
                .collect_view();
            let count = r.progression.len();
            Some(view! {
                <tr data-record=r.id data-seconds=best.seconds.to_string() data-run-id=best.run_id.clone()>
                    <th scope="row">{r.label}</th>
                    <td>{format::duration(best.seconds)}</td>
                    <td>{move || format::pace(speed, units.get())}</td>
                    <td><a href=format!("/runs/{}", best.run_id)>{best.start_time.get(..10).unwrap_or("–").to_owned()}</a></td>
                    <td>
                        <details>
                            <summary>{format!("{count} record{}", if count == 1 { "" } else { "s" })}</summary>
                            <ol class="records__progression" aria-label=format!("{} record progression, newest first", r.label)>
                                {progression}
                            </ol>
                        </details>
                    </td>
                </tr>
            })
        })
        .collect_view();
    view! {
        <table class="records-table">
            <caption class="visually-hidden">"Personal records"</caption>
            <thead>
                <tr>
                    <th scope="col">"Distance"</th>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Pace"</th>
                    <th scope="col">"Run"</th>
                    <th scope="col">"Progression"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
