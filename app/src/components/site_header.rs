use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::auth::current_account;
use crate::components::UnitsToggle;

/// The header on every page: the brand, the main navigation, the account (or "Sign in") and the
/// units switch. The router marks the current page's link with `aria-current="page"`. The
/// account is asked again at each navigation, so signing in or out shows at once.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let location = use_location();
    let account = Resource::new(move || location.pathname.get(), |_| current_account());
    view! {
        <header class="site-header">
            <a class="site-header__skip" href="#main">"Skip to content"</a>
            <A href="/" attr:class="site-header__brand">
                <svg class="site-header__logo" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M3 17l5-6 4 3 6-8 3 2" fill="none" stroke="currentColor" stroke-width="2.5"
                        stroke-linecap="round" stroke-linejoin="round" />
                </svg>
                <span>"Stride"</span>
            </A>
            <nav class="site-header__nav" aria-label="Main">
                <A href="/runs">"Runs"</A>
                <A href="/dashboard">"Dashboard"</A>
                <A href="/plans">"Plans"</A>
                <A href="/watch">"Watch"</A>
                <A href="/settings">"Settings"</A>
                <Transition fallback=|| view! { <A href="/signin" attr:class="site-header__signin">"Sign in"</A> }>
                    {move || Suspend::new(async move {
                        match account.await {
                            Ok(Some(a)) => {
                                let name = a.username;
                                let data = name.clone();
                                view! {
                                    <A href="/account" attr:class="site-header__signin" attr:data-account=data>
                                        <span class="visually-hidden">"Account: "</span>
                                        {name.clone()}
                                    </A>
                                }
                                .into_any()
                            }
                            _ => view! { <A href="/signin" attr:class="site-header__signin">"Sign in"</A> }.into_any(),
                        }
                    })}
                </Transition>
            </nav>
            <UnitsToggle />
        </header>
    }
}
