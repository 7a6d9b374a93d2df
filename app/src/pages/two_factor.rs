use leptos::form::ActionForm;
use leptos::prelude::*;

use super::PageHeader;
use super::sign_in::error_of;
use crate::api::SignInCode;

/// The second step of a sign-in with two-factor sign-in on: the authenticator app's code, or a
/// recovery code.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let code = ServerAction::<SignInCode>::new();
    let code_error = error_of(code.value());
    view! {
        <PageHeader
            title="Two-factor sign-in"
            lead="Your password was right. Now the code your authenticator app shows for Stride."
        />
        <section class="account-form" aria-labelledby="code-title">
            <h2 id="code-title">"One-time code"</h2>
            <ActionForm action=code>
                <label class="account-form__field">
                    "Code"
                    <input
                        type="text"
                        name="code"
                        autocomplete="one-time-code"
                        autocapitalize="none"
                        spellcheck="false"
                        maxlength="32"
                        required
                    />
                </label>
                <p class="account-form__hint">
                    "Six digits from the app, or one of your recovery codes (xxxxx-xxxxx) if you no longer have it. Each works once."
                </p>
                <button type="submit" class="button button--primary">"Sign in"</button>
            </ActionForm>
            <Show when=move || code_error().is_some()>
                <p class="account-form__error" role="alert">
                    {move || code_error().unwrap_or_default()}
                </p>
            </Show>
            <p><a href="/signin">"Start again with your password"</a></p>
        </section>
    }
}
