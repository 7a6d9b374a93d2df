use leptos::prelude::*;
use leptos_meta::Title;

/// A page's `<title>`, `<h1>` and lead paragraph.
#[component]
pub fn PageHeader(title: &'static str, lead: &'static str) -> impl IntoView {
    view! {
        <Title text=title />
        <header class="page-header">
            <h1 class="page-header__title">{title}</h1>
            <p class="page-header__lead">{lead}</p>
        </header>
    }
}
