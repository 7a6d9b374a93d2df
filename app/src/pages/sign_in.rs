use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::PageHeader;
use crate::AppError;
use crate::api::{SignIn, SignUp};

/// The message of a failed action, if the last one failed.
pub(crate) fn error_of<T, S>(value: S) -> impl Fn() -> Option<String> + Copy
where
    S: Get<Value = Option<Result<T, AppError>>> + Copy,
{
    move || match value.get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    }
}

/// Signing in, or creating an account, for sync across devices and the upload API.
#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let sign_up = ServerAction::<SignUp>::new();
    let sign_in_error = error_of(sign_in.value());
    let sign_up_error = error_of(sign_up.value());
    let query = use_query_map();
    let deleted = move || query.read().get("deleted").is_some_and(|v| v == "1");

    view! {
        <PageHeader
            title="Sign in"
            lead="An account is optional: Stride works fully on this device without one."
        />
        <Show when=deleted>
            <p class="account-form__ok" role="status" data-testid="account-deleted">
                "Your account was deleted, with every run, original file, link and token it kept on this server. The runs kept in this browser are still here."
            </p>
        </Show>
        <div class="account-forms">
            <section class="account-form" aria-labelledby="sign-in-title">
                <h2 id="sign-in-title">"Sign in"</h2>
                <ActionForm action=sign_in>
                    <label class="account-form__field">
                        "Username or email"
                        <input type="text" name="login" autocomplete="username" required />
                    </label>
                    <label class="account-form__field">
                        "Password"
                        <input
                            type="password"
                            name="password"
                            autocomplete="current-password"
                            required
                        />
                    </label>
                    <button type="submit" class="button button--primary">
                        "Sign in"
                    </button>
                </ActionForm>
                <Show when=move || sign_in_error().is_some()>
                    <p class="account-form__error" role="alert">
                        {move || sign_in_error().unwrap_or_default()}
                    </p>
                </Show>
            </section>
            <section class="account-form" aria-labelledby="sign-up-title">
                <h2 id="sign-up-title">"Create an account"</h2>
                <ActionForm action=sign_up>
                    <label class="account-form__field">
                        "Username"
                        <input
                            type="text"
                            name="username"
                            autocomplete="username"
                            minlength="3"
                            maxlength="32"
                            required
                        />
                    </label>
                    <label class="account-form__field">
                        "Email"
                        <input type="email" name="email" autocomplete="email" required />
                    </label>
                    <label class="account-form__field">
                        "New password"
                        <input
                            type="password"
                            name="password"
                            autocomplete="new-password"
                            minlength="10"
                            required
                        />
                    </label>
                    <p class="account-form__hint">
                        "At least 10 characters, and not one of the most common passwords."
                    </p>
                    <button type="submit" class="button button--primary">
                        "Create account"
                    </button>
                </ActionForm>
                <Show when=move || sign_up_error().is_some()>
                    <p class="account-form__error" role="alert">
                        {move || sign_up_error().unwrap_or_default()}
                    </p>
                </Show>
            </section>
        </div>
    }
}
