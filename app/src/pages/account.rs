use leptos::form::ActionForm;
use leptos::prelude::*;

use super::PageHeader;
use super::sign_in::error_of;
use crate::api::auth::{current_account, list_tokens};
use crate::api::{
    BeginTwoFactor, ChangePassword, ConfirmTwoFactor, CreateToken, DeleteAccount, DisableTwoFactor,
    RevokeToken, SignOut,
};

/// The signed-in account: password, personal access tokens, signing out.
#[component]
pub fn AccountPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| current_account());
    view! {
        <PageHeader
            title="Account"
            lead="Your account on this server: password and tokens for the upload API."
        />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(Some(account)) => view! { <AccountDetails account /> }.into_any(),
                    Ok(None) => view! {
                        <section class="empty-state">
                            <h2>"You are not signed in"</h2>
                            <p><a href="/signin">"Sign in or create an account"</a></p>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <p class="account-form__error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AccountDetails(account: crate::models::Account) -> impl IntoView {
    let two_factor = account.two_factor;
    let recovery_codes_left = account.recovery_codes_left;
    let sign_out = ServerAction::<SignOut>::new();
    // Signed out: nothing of the account stays in this browser (the service worker never kept
    // its pages).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(sign_out.value().get(), Some(Ok(()))) {
            crate::browser::storage::forget_account();
        }
    });
    let change = ServerAction::<ChangePassword>::new();
    let change_error = error_of(change.value());
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <section class="account-form" aria-labelledby="who-title">
            <h2 id="who-title">"Signed in as " <span data-testid="username">{account.username}</span></h2>
            <p class="account-form__hint">{account.email}</p>
            <ActionForm action=sign_out>
                <button type="submit" class="button">"Sign out"</button>
            </ActionForm>
        </section>
        <section class="account-form" aria-labelledby="password-title">
            <h2 id="password-title">"Change password"</h2>
            <ActionForm action=change>
                <label class="account-form__field">
                    "Current password"
                    <input type="password" name="current" autocomplete="current-password" required />
                </label>
                <label class="account-form__field">
                    "New password"
                    <input
                        type="password"
                        name="new_password"
                        autocomplete="new-password"
                        minlength="10"
                        required
                    />
                </label>
                <button type="submit" class="button button--primary">"Change password"</button>
            </ActionForm>
            <Show when=changed>
                <p class="account-form__ok" role="status">
                    "Password changed. Your other sessions were signed out."
                </p>
            </Show>
            <Show when=move || change_error().is_some()>
                <p class="account-form__error" role="alert">
                    {move || change_error().unwrap_or_default()}
                </p>
            </Show>
        </section>
        <TwoFactor on=two_factor recovery_codes_left />
        <Tokens />
        <YourData />
    }
}

/// Two-factor sign-in: set up an authenticator app (QR code or secret, confirmed by a code,
/// then the recovery codes once), or turn it off.
#[component]
fn TwoFactor(on: bool, recovery_codes_left: i64) -> impl IntoView {
    let begin = ServerAction::<BeginTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let begin_error = error_of(begin.value());
    let confirm_error = error_of(confirm.value());
    let disable_error = error_of(disable.value());
    let setup = move || match begin.value().get() {
        Some(Ok(setup)) => Some(setup),
        _ => None,
    };
    let recovery = move || match confirm.value().get() {
        Some(Ok(codes)) => Some(codes),
        _ => None,
    };
    let disabled = move || matches!(disable.value().get(), Some(Ok(())));
    let is_on = move || (on && !disabled()) || recovery().is_some();
    view! {
        <section class="account-form" aria-labelledby="two-factor-title" data-testid="two-factor">
            <h2 id="two-factor-title">"Two-factor sign-in"</h2>
            <p class="account-form__hint" data-testid="two-factor-state">
                {move || if is_on() {
                    "On: signing in asks for a code from your authenticator app after the password.".to_string()
                } else {
                    "Off: a password alone signs in. Turn it on with any authenticator app (TOTP).".to_string()
                }}
            </p>
            {move || recovery().map(|codes| view! {
                <div class="account-token" role="status">
                    <p>
                        <strong>"Two-factor sign-in is on."</strong>
                        " Save these recovery codes now, somewhere other than your phone: each signs in once without the app, and they are shown only this once."
                    </p>
                    <ol class="account-recovery" data-testid="recovery-codes">
                        {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                    </ol>
                </div>
            })}
            <Show when=move || on && !disabled() && recovery().is_none()>
                <p data-testid="recovery-left">
                    {format!("{recovery_codes_left} unused recovery codes.")}
                </p>
                <ActionForm action=disable>
                    <label class="account-form__field">
                        "Turn off, confirming with your password"
                        <input type="password" name="password" autocomplete="current-password" required />
                    </label>
                    <button type="submit" class="button">"Turn off two-factor sign-in"</button>
                </ActionForm>
            </Show>
            <Show when=move || !is_on() && setup().is_none()>
                <ActionForm action=begin>
                    <button type="submit" class="button button--primary">"Set up two-factor sign-in"</button>
                </ActionForm>
            </Show>
            {move || setup().filter(|_| recovery().is_none()).map(|setup| view! {
                <div class="account-two-factor">
                    <p>"Scan this code with your authenticator app, or type the key in:"</p>
                    <div class="account-two-factor__qr" role="img" aria-label="QR code of the key" inner_html=setup.qr_svg></div>
                    <p><code class="account-token__value" data-testid="totp-secret">{setup.secret}</code></p>
                    <p class="account-form__hint">
                        <a href=setup.uri.clone() data-testid="totp-uri">"Open in an authenticator app on this device"</a>
                    </p>
                    <ActionForm action=confirm>
                        <label class="account-form__field">
                            "The code the app shows now"
                            <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required />
                        </label>
                        <button type="submit" class="button button--primary">"Turn on"</button>
                    </ActionForm>
                </div>
            })}
            {move || [begin_error(), confirm_error(), disable_error()]
                .into_iter()
                .flatten()
                .next()
                .map(|e| view! { <p class="account-form__error" role="alert">{e}</p> })}
        </section>
    }
}

/// Export all my data; delete my account.
#[component]
fn YourData() -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            crate::browser::storage::forget_account();
        }
    });
    let delete_error = error_of(delete.value());
    view! {
        <section class="account-form" aria-labelledby="data-title">
            <h2 id="data-title">"Your data"</h2>
            <p class="account-form__hint">
                "One .zip with the original file of every run kept on the server, and stride-export.json with your account, the runs' summaries, their public links and your tokens' names (never a secret)."
            </p>
            <p>
                <a class="button" href="/api/sync/export" download>"Export all my data"</a>
            </p>
        </section>
        <section class="account-form account-form--danger" aria-labelledby="delete-title">
            <h2 id="delete-title">"Delete account"</h2>
            <p class="account-form__hint">
                "Deletes your account and everything it keeps on the server: runs, their original files, public links, tokens and sessions. It cannot be undone. The runs kept in this browser stay here."
            </p>
            <ActionForm action=delete>
                <label class="account-form__field">
                    "Confirm with your password"
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                <button type="submit" class="button button--danger">"Delete my account"</button>
            </ActionForm>
            <Show when=move || delete_error().is_some()>
                <p class="account-form__error" role="alert">
                    {move || delete_error().unwrap_or_default()}
                </p>
            </Show>
        </section>
    }
}

#[component]
fn Tokens() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let create_error = error_of(create.value());
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    let new_token = move || match create.value().get() {
        Some(Ok(t)) => Some(t),
        _ => None,
    };
    view! {
        <section class="account-form" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"Personal access tokens"</h2>
            <p class="account-form__hint">
                "For the upload API (" <code>"POST /api/v1/activities"</code>
                " with " <code>"Authorization: Bearer TOKEN"</code> "), e.g. from a phone app."
            </p>
            <ActionForm action=create>
                <label class="account-form__field">
                    "Token name"
                    <input type="text" name="name" maxlength="64" placeholder="phone" required />
                </label>
                <button type="submit" class="button button--primary">"Create token"</button>
            </ActionForm>
            <Show when=move || create_error().is_some()>
                <p class="account-form__error" role="alert">
                    {move || create_error().unwrap_or_default()}
                </p>
            </Show>
            {move || new_token().map(|t| view! {
                <div class="account-token" role="status">
                    <p>"Token " <strong>{t.name}</strong> " created. Copy it now: it is shown only once."</p>
                    <code class="account-token__value" data-testid="new-token">{t.token}</code>
                </div>
            })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => view! { <p>"No tokens yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="account-tokens">
                                {list.into_iter().map(|t| view! {
                                    <li class="account-tokens__item">
                                        <span>{t.name}</span>
                                        <ActionForm action=revoke>
                                            <input type="hidden" name="id" value=t.id />
                                            <button type="submit" class="button button--small">"Revoke"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="account-form__error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
