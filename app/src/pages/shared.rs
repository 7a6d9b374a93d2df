use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::run::{TILES, tile_label};
use crate::AppError;
use crate::api::sync::get_shared_run;
use crate::components::MetricTile;
use crate::models::SharedRun;
use crate::models::sync::route_path;

/// `/shared/<token>`: a run its owner made public, rendered on the server and readable signed
/// out. A token that is not a link (never was, or was revoked) is a 404 page with status 404.
#[component]
pub fn SharedRunPage() -> impl IntoView {
    let params = use_params_map();
    let run = Resource::new(
        move || params.with(|p| p.get("token").unwrap_or_default()),
        get_shared_run,
    );
    view! {
        // An unlisted page: kept out of search engines, and its address out of Referer headers.
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="no-referrer" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match run.await {
                    Ok(run) => view! { <SharedRunView run /> }.into_any(),
                    Err(AppError::NotFound) => view! { <super::NotFoundPage /> }.into_any(),
                    Err(e) => view! { <p class="account-form__error" role="alert">{e.to_string()}</p> }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SharedRunView(run: SharedRun) -> impl IntoView {
    let title = format!(
        "{} on {}",
        run.sport.replace('_', " "),
        run.date.as_deref().unwrap_or("an unknown day")
    );
    let heading = title.clone();
    let tiles = TILES
        .iter()
        .filter_map(|&(id, display)| {
            let value = *run.metrics.get(id)?;
            let label = tile_label(id, display);
            Some(view! { <MetricTile id label value display /> })
        })
        .collect_view();
    let points: usize = run.route.iter().map(Vec::len).sum();
    let route_json = serde_json::to_string(&run.route).unwrap_or_default();
    let path = route_path(&run.route, 600.0, 400.0);
    let hidden = (run.hidden_m > 0).then(|| {
        format!(
            "The first and last {} m of the route are hidden.",
            run.hidden_m
        )
    });
    view! {
        <Title text=title />
        <article class="shared-run">
            <header class="page-header">
                <p class="shared-run__kicker">"A run shared on Stride"</p>
                <h1 class="page-header__title">{heading}</h1>
            </header>
            <section class="metric-tiles" aria-label="Summary">{tiles}</section>
            <section class="shared-run__route" aria-label="Route">
                {match path {
                    Some(d) => view! {
                        <svg
                            class="shared-run__map"
                            viewBox="0 0 600 400"
                            role="img"
                            aria-label="The route"
                            data-points=points
                            data-route=route_json
                        >
                            <path d=d fill="none" stroke="currentColor" stroke-width="3" stroke-linejoin="round" />
                        </svg>
                    }
                    .into_any(),
                    None => view! { <p>"No route to show."</p> }.into_any(),
                }}
                {hidden.map(|h| view! { <p class="shared-run__hint">{h}</p> })}
            </section>
        </article>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_run_carries_the_figures_of_the_tiles_and_no_others() {
        let tiles: Vec<&str> = TILES.iter().map(|t| t.0).collect();
        assert_eq!(tiles, SharedRun::SHOWN);
    }
}
