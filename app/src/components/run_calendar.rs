use leptos::prelude::*;

use crate::format;
use crate::models::LocalRun;
use crate::models::run_list::Month;
use crate::providers::use_units;

/// A month of runs: each day shows how many runs it had (`data-runs`) and their distance in its
/// tooltip. Opens on the month of the newest run; previous and next month buttons.
#[component]
pub fn RunCalendar(#[prop(into)] runs: Signal<Vec<LocalRun>>) -> impl IntoView {
    let units = use_units();
    let chosen = RwSignal::new(None::<Month>);
    let month = Memo::new(move |_| chosen.get().or_else(|| runs.with(|r| Month::latest(r))));
    let step = move |forward: bool| {
        if let Some(m) = month.get_untracked() {
            chosen.set(Some(if forward { m.next() } else { m.prev() }));
        }
    };
    move || {
        month.get().map(|m| {
            let days = runs.with(|r| m.days(r));
            let rows = m
                .weeks()
                .into_iter()
                .map(|week| {
                    let cells = week
                        .into_iter()
                        .map(|day| match day {
                            None => view! { <td class="run-calendar__pad"></td> }.into_any(),
                            Some(d) => {
                                let (count, meters) = days[(d - 1) as usize];
                                let class = if count == 0 {
                                    "run-calendar__day"
                                } else {
                                    "run-calendar__day run-calendar__day--run"
                                };
                                let title = match count {
                                    0 => String::new(),
                                    1 => format!("1 run, {}", format::distance(meters, units.get())),
                                    n => format!("{n} runs, {}", format::distance(meters, units.get())),
                                };
                                view! {
                                    <td
                                        class=class
                                        data-date=m.date(d)
                                        data-runs=count
                                        title=title
                                    >
                                        <span class="run-calendar__number">{d}</span>
                                        {(count > 0).then(|| view! { <span class="run-calendar__dot" aria-hidden="true"></span> })}
                                    </td>
                                }
                                .into_any()
                            }
                        })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view();
            view! {
                <section class="run-calendar" aria-label="Calendar">
                    <header class="run-calendar__header">
                        <button type="button" class="button button--small" aria-label="Previous month" on:click=move |_| step(false)>
                            "‹"
                        </button>
                        <h2 class="run-calendar__title">{m.title()}</h2>
                        <button type="button" class="button button--small" aria-label="Next month" on:click=move |_| step(true)>
                            "›"
                        </button>
                    </header>
                    <table class="run-calendar__grid">
                        <thead>
                            <tr>
                                {["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
                                    .map(|d| view! { <th scope="col">{d}</th> })
                                    .collect_view()}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
    }
}
