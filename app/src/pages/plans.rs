use leptos::prelude::*;

use super::PageHeader;

/// Community training plans.
#[component]
pub fn PlansPage() -> impl IntoView {
    view! {
        <PageHeader
            title="Plans"
            lead="Structured training plans published by the community."
        />
        <section class="empty-state">
            <h2>"Coming next: plans"</h2>
            <p>
                "Follow a plan to put dated workouts on your calendar, see each run matched to its workout, "
                "and export workouts to your watch and the calendar to your phone."
            </p>
        </section>
    }
}
