use leptos::prelude::*;

use super::PageHeader;

/// Accounts, for sync across devices and coaching.
#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <PageHeader
            title="Sign in"
            lead="An account is optional: Stride works fully on this device without one."
        />
        <section class="empty-state">
            <h2>"Coming next: accounts"</h2>
            <p>
                "Sign in to sync the runs you choose across devices, share them with a coach "
                "and follow plans. Your files are analysed on your device either way."
            </p>
        </section>
    }
}
