use leptos::prelude::*;

use super::PageHeader;

/// Fitness, fatigue, form and predictions, computed from the library.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <PageHeader
            title="Dashboard"
            lead="Fitness, fatigue and form, readiness, race predictions, VO2max and HRV."
        />
        <section class="empty-state">
            <h2>"Coming next: your training models"</h2>
            <p>
                "Once runs are in your library, this page charts your fitness and fatigue, predicts your race "
                "times with the method and the data behind every number, and tracks HRV and resting heart rate."
            </p>
        </section>
    }
}
