use leptos::prelude::*;

use super::PageHeader;

/// The watch over Web Bluetooth.
#[component]
pub fn WatchPage() -> impl IntoView {
    view! {
        <PageHeader
            title="Watch"
            lead="Your watch, chest strap or foot pod, straight to this page over Bluetooth."
        />
        <section class="empty-state">
            <h2>"Coming next: connect"</h2>
            <p>
                "Live heart rate, HRV, pace and cadence from Bluetooth sensors, and recording a run in the "
                "browser. Web Bluetooth works in Chrome, Edge and other Chromium browsers on desktop and Android."
            </p>
        </section>
    }
}
