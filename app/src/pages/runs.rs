use leptos::prelude::*;

use super::PageHeader;

/// The runner's library. Importing and analysing files arrives with the browser-library work.
#[component]
pub fn RunsPage() -> impl IntoView {
    view! {
        <PageHeader
            title="Runs"
            lead="Your library of runs, kept on this device."
        />
        <section class="empty-state">
            <h2>"Coming next: import"</h2>
            <p>
                "Drop FIT, GPX or TCX files, a watch's activity folder or a whole Garmin or Strava export. "
                "Each run is decoded and analysed in your browser and kept on this device; nothing is uploaded."
            </p>
        </section>
    }
}
