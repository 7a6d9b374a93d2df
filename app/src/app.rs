use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::components::SiteHeader;
use crate::pages::{
    AccountPage, DashboardPage, HomePage, NotFoundPage, PlansPage, RecordsPage, RunPage, RunsPage,
    SettingsPage, SharedRunPage, SignInPage, TwoFactorPage, WatchPage,
};
use crate::providers::{provide_athlete, provide_units};

/// The HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The run map's tile source, read by the page from its head (`MapTiles::META`).
    #[cfg(feature = "ssr")]
    let map_tiles = use_context::<crate::server::AppState>().and_then(|s| s.map_tiles);
    #[cfg(not(feature = "ssr"))]
    let map_tiles = None::<crate::models::MapTiles>;
    let map_meta = map_tiles.map(|tiles| {
        crate::models::MapTiles::META
            .into_iter()
            .zip(tiles.meta_contents())
            .map(|(name, content)| view! { <meta name=name content=content /> })
            .collect_view()
    });
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="theme-color" content="#0b6b58" />
                <meta
                    name="description"
                    content="Stride: your runs analysed on your own device, offline, fast."
                />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <link rel="manifest" href="/manifest.webmanifest" />
                {map_meta}
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The whole app: header, navigation and the routed pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_units();
    provide_athlete();

    view! {
        <Stylesheet id="leptos" href="/pkg/stride.css" />
        <Title formatter=|page: String| {
            if page.is_empty() { "Stride".to_string() } else { format!("{page} · Stride") }
        } />
        <Router>
            <SiteHeader />
            <main class="page" id="main">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/runs") view=RunsPage />
                    <Route path=path!("/runs/:id") view=RunPage />
                    <Route path=path!("/records") view=RecordsPage />
                    <Route path=path!("/dashboard") view=DashboardPage />
                    <Route path=path!("/plans") view=PlansPage />
                    <Route path=path!("/watch") view=WatchPage />
                    <Route path=path!("/settings") view=SettingsPage />
                    <Route path=path!("/signin") view=SignInPage />
                    <Route path=path!("/signin/two-factor") view=TwoFactorPage />
                    <Route path=path!("/account") view=AccountPage />
                    // Rendered whole before it is sent, so that a revoked link answers 404.
                    <Route path=path!("/shared/:token") view=SharedRunPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
