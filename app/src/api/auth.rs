//! Accounts as server functions. Each gets the state and the request from the context, calls
//! one function of `server::accounts` or `server::db`, and maps its errors; the session cookie
//! is set or cleared on the response. Every failure answers with its own status (400, 401, 404,
//! 429), never a blanket 500 (`ssr::with_status`), as `server::error::ServerError` maps it.

use leptos::prelude::*;

use crate::AppError;
use crate::models::{Account, NewToken, TokenInfo, TwoFactorSetup};

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use http::HeaderValue;
    use http::header::SET_COOKIE;
    use http::request::Parts;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    use crate::AppError;
    use crate::server::{AppState, session};

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })
    }

    pub fn parts() -> Result<Parts, AppError> {
        use_context::<Parts>().ok_or(AppError::Internal)
    }

    /// Who the request is from: the user of its session, or anonymous.
    pub async fn actor(state: &AppState) -> Result<crate::server::access::Actor, AppError> {
        let parts = parts()?;
        let user = session::user_of(&state.pool, &state.network, &parts.headers).await?;
        Ok(crate::server::access::Actor::of(user))
    }

    /// The signed-in user, or `Unauthorized`.
    pub async fn user(state: &AppState) -> Result<i64, AppError> {
        let parts = parts()?;
        session::user_of(&state.pool, &state.network, &parts.headers)
            .await?
            .ok_or(AppError::Unauthorized)
    }

    /// The result, with the response's status set to the error's when it is one (401, 404, …)
    /// rather than a server function's default 500.
    pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let (Err(e), Some(response)) = (&result, use_context::<ResponseOptions>())
            && let Ok(status) = http::StatusCode::from_u16(e.status_code())
        {
            response.set_status(status);
        }
        result
    }

    pub fn set_cookie(value: &str) {
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(value),
        ) {
            response.append_header(SET_COOKIE, value);
        }
    }

    /// Starts a session (a new id every time) and sets its cookie.
    pub async fn sign_in_as(state: &AppState, user_id: i64) -> Result<(), AppError> {
        let parts = parts()?;
        // The old session, if any, ends: the id changes at every sign-in.
        session::end(&state.pool, &state.network, &parts.headers).await?;
        let id = session::start(&state.pool, user_id).await?;
        set_cookie(&session::set_cookie(&state.network, &id));
        Ok(())
    }

    /// The client's address as rate limits count it (see `server::network`).
    pub fn address(state: &AppState, parts: &Parts) -> String {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        state.network.client_key(peer, &parts.headers)
    }
}

/// Creates an account and signs it in.
#[server]
pub async fn sign_up(username: String, email: String, password: String) -> Result<(), AppError> {
    ssr::with_status(
        async move {
            let state = ssr::state()?;
            let address = ssr::address(&state, &ssr::parts()?);
            if let Err(wait) = state
                .sign_up_limiter
                .reserve(&address, std::time::Instant::now())
            {
                return Err(AppError::TooManyRequests(
                    crate::server::rate_limit::too_many_sign_ups_message(wait),
                ));
            }
            let id =
                crate::server::accounts::create_account(&state.pool, &username, &email, &password)
                    .await?;
            ssr::sign_in_as(&state, id).await?;
            leptos_axum::redirect("/account");
            Ok(())
        }
        .await,
    )
}

/// Signs in by username or email. With two-factor sign-in on, a right password leads to the
/// second step (`/signin/two-factor`) instead of a session.
#[server]
pub async fn sign_in(login: String, password: String) -> Result<(), AppError> {
    use crate::server::two_factor;
    let state = ssr::state()?;
    let parts = ssr::parts()?;
    let address = ssr::address(&state, &parts);
    let id = ssr::with_status(
        crate::server::accounts::check_sign_in(
            &state.pool,
            &state.sign_in_limiter,
            &login,
            &password,
            &address,
        )
        .await
        .map_err(AppError::from),
    )?;
    if crate::server::db::two_factor::is_enabled(&state.pool, id).await? {
        let challenge = two_factor::start_challenge(&state.pool, id).await?;
        ssr::set_cookie(&two_factor::challenge_cookie(
            &state.network,
            Some(&challenge),
        ));
        leptos_axum::redirect("/signin/two-factor");
        return Ok(());
    }
    ssr::sign_in_as(&state, id).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// The second step of a sign-in: a code from the authenticator app, or a recovery code.
#[server]
pub async fn sign_in_code(code: String) -> Result<(), AppError> {
    use crate::server::two_factor;
    let state = ssr::state()?;
    let parts = ssr::parts()?;
    let address = ssr::address(&state, &parts);
    let id = ssr::with_status(
        two_factor::finish_challenge(
            &state.pool,
            &state.sign_in_limiter,
            two_factor::challenge_id(&state.network, &parts.headers).as_deref(),
            &code,
            &address,
        )
        .await
        .map_err(AppError::from),
    )?;
    ssr::set_cookie(&two_factor::challenge_cookie(&state.network, None));
    ssr::sign_in_as(&state, id).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// Starts setting up an authenticator app: a new secret, its URI and QR code.
#[server]
pub async fn begin_two_factor() -> Result<TwoFactorSetup, AppError> {
    let state = ssr::state()?;
    let user = ssr::with_status(ssr::user(&state).await)?;
    let username = crate::server::db::users::find_user(&state.pool, user)
        .await?
        .map(|u| u.username)
        .ok_or(AppError::Unauthorized)?;
    let setup = ssr::with_status(
        crate::server::two_factor::begin_enrolment(&state.pool, user, &username)
            .await
            .map_err(AppError::from),
    )?;
    Ok(TwoFactorSetup {
        secret: setup.secret,
        uri: setup.uri,
        qr_svg: setup.qr_svg,
    })
}

/// Turns two-factor sign-in on with the app's first code; answers the recovery codes (shown
/// this once).
#[server]
pub async fn confirm_two_factor(code: String) -> Result<Vec<String>, AppError> {
    let state = ssr::state()?;
    let user = ssr::with_status(ssr::user(&state).await)?;
    ssr::with_status(
        crate::server::two_factor::confirm_enrolment(
            &state.pool,
            user,
            &code,
            crate::server::db::now(),
        )
        .await
        .map_err(AppError::from),
    )
}

/// Turns two-factor sign-in off, after checking the password.
#[server]
pub async fn disable_two_factor(password: String) -> Result<(), AppError> {
    let state = ssr::state()?;
    let user = ssr::with_status(ssr::user(&state).await)?;
    let address = ssr::address(&state, &ssr::parts()?);
    ssr::with_status(
        crate::server::two_factor::disable(
            &state.pool,
            &state.sign_in_limiter,
            user,
            &password,
            &address,
        )
        .await
        .map_err(AppError::from),
    )
}

/// Ends this browser's session.
#[server]
pub async fn sign_out() -> Result<(), AppError> {
    ssr::with_status(
        async move {
            let state = ssr::state()?;
            let parts = ssr::parts()?;
            crate::server::session::end(&state.pool, &state.network, &parts.headers).await?;
            ssr::set_cookie(&crate::server::session::clear_cookie(&state.network));
            leptos_axum::redirect("/signin");
            Ok(())
        }
        .await,
    )
}

/// Changes the password; every other session of the account ends.
#[server]
pub async fn change_password(current: String, new_password: String) -> Result<(), AppError> {
    ssr::with_status(
        async move {
            let state = ssr::state()?;
            let user = ssr::user(&state).await?;
            let address = ssr::address(&state, &ssr::parts()?);
            crate::server::accounts::change_password(
                &state.pool,
                &state.sign_in_limiter,
                user,
                &current,
                &new_password,
                &address,
            )
            .await?;
            let headers = ssr::parts()?.headers;
            if let Some(keep) = crate::server::session::session_hash(&state.network, &headers) {
                crate::server::db::sessions::delete_other_sessions(&state.pool, user, &keep)
                    .await?;
            }
            Ok(())
        }
        .await,
    )
}

/// The signed-in account, or `None`.
#[server]
pub async fn current_account() -> Result<Option<Account>, AppError> {
    ssr::with_status(
        async move {
            let state = ssr::state()?;
            let headers = ssr::parts()?.headers;
            let Some(id) =
                crate::server::session::user_of(&state.pool, &state.network, &headers).await?
            else {
                return Ok(None);
            };
            let Some(user) = crate::server::db::users::find_user(&state.pool, id).await? else {
                return Ok(None);
            };
            let two_factor = crate::server::db::two_factor::is_enabled(&state.pool, id).await?;
            let recovery_codes_left = if two_factor {
                crate::server::db::two_factor::recovery_codes_left(&state.pool, id).await?
            } else {
                0
            };
            Ok(Some(Account {
                username: user.username,
                email: user.email,
                two_factor,
                recovery_codes_left,
            }))
        }
        .await,
    )
}

/// Deletes the signed-in account after checking its password: everything it keeps on the
/// server goes, originals included (but not an original another account's run keeps too).
#[server]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    let state = ssr::state()?;
    let user = ssr::with_status(ssr::user(&state).await)?;
    let address = ssr::address(&state, &ssr::parts()?);
    ssr::with_status(
        crate::server::accounts::delete_account(
            &state.pool,
            &state.originals,
            &state.sign_in_limiter,
            user,
            &password,
            &address,
        )
        .await
        .map_err(AppError::from),
    )?;
    state.token_cache.forget_user(user);
    ssr::set_cookie(&crate::server::session::clear_cookie(&state.network));
    leptos_axum::redirect("/signin?deleted=1");
    Ok(())
}

/// Creates a personal access token; its value is in the answer and nowhere else.
#[server]
pub async fn create_token(name: String) -> Result<NewToken, AppError> {
    ssr::with_status(
        async move {
            let state = ssr::state()?;
            let user = ssr::user(&state).await?;
            let (id, token) =
                crate::server::accounts::issue_token(&state.pool, user, &name).await?;
            Ok(NewToken {
                id,
                name: name.trim().to_string(),
                token,
            })
        }
        .await,
    )
}

/// The signed-in account's tokens.
#[server]
pub async fn list_tokens() -> Result<Vec<TokenInfo>, AppError> {
    ssr::with_status(
        async move {
            let state = ssr::state()?;
            let user = ssr::user(&state).await?;
            Ok(crate::server::db::tokens::list_tokens(&state.pool, user)
                .await?
                .into_iter()
                .map(|t| TokenInfo {
                    id: t.id,
                    name: t.name,
                    created_at: t.created_at,
                })
                .collect())
        }
        .await,
    )
}

/// Revokes one of the signed-in account's tokens.
#[server]
pub async fn revoke_token(id: i64) -> Result<(), AppError> {
    ssr::with_status(
        async move {
            let state = ssr::state()?;
            let user = ssr::user(&state).await?;
            if crate::server::db::tokens::revoke_token(&state.pool, user, id).await? {
                state.token_cache.forget_user(user);
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        }
        .await,
    )
}
