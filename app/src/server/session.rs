//! Sessions of signed-in browsers. The cookie holds 256 random bits; the database holds only
//! their SHA-256 and the expiry. The cookie is HttpOnly and SameSite=Lax, and Secure whenever the
//! request came over TLS (directly or, as `X-Forwarded-Proto: https` says, through a proxy).

use http::HeaderMap;
use http::header::{COOKIE, HOST, ORIGIN};

use super::credentials::{random_secret, sha256_hex};
use super::db::{self, Pool, SessionRow};

/// The name of the session cookie.
pub const COOKIE_NAME: &str = "stride_session";
/// How long a session lasts, seconds (30 days).
pub const SESSION_SECONDS: i64 = 30 * 24 * 3600;

/// The session id the request's cookie carries.
pub fn session_id(headers: &HeaderMap) -> Option<String> {
    secret_cookie(headers, COOKIE_NAME)
}

/// The value of the cookie `name` when it is one of our secrets (64 hex digits).
pub fn secret_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The signed-in user of the request, if its session is valid.
pub async fn user_of(pool: &Pool, headers: &HeaderMap) -> Result<Option<i64>, sqlx::Error> {
    match session_id(headers) {
        Some(id) => db::sessions::session_user(pool, &sha256_hex(id.as_bytes()), db::now()).await,
        None => Ok(None),
    }
}

/// Starts a new session for the user (always a new id: a session id is never reused across a
/// sign-in); returns the id for the cookie.
pub async fn start(pool: &Pool, user_id: i64) -> Result<String, sqlx::Error> {
    let id = random_secret();
    let now = db::now();
    db::sessions::create_session(
        pool,
        &SessionRow {
            id_hash: sha256_hex(id.as_bytes()),
            user_id,
            created_at: now,
            expires_at: now + SESSION_SECONDS,
        },
    )
    .await?;
    Ok(id)
}

/// Ends the request's session, if any.
pub async fn end(pool: &Pool, headers: &HeaderMap) -> Result<(), sqlx::Error> {
    match session_id(headers) {
        Some(id) => db::sessions::delete_session(pool, &sha256_hex(id.as_bytes())).await,
        None => Ok(()),
    }
}

/// The hash under which the request's session is stored.
pub fn session_hash(headers: &HeaderMap) -> Option<String> {
    session_id(headers).map(|id| sha256_hex(id.as_bytes()))
}

/// Whether the request came over TLS.
pub fn is_tls(headers: &HeaderMap) -> bool {
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let origin = headers
        .get(ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("https://"));
    proto || origin
}

/// The `Set-Cookie` value that sets the session cookie.
pub fn set_cookie(id: &str, secure: bool) -> String {
    cookie_header(COOKIE_NAME, id, SESSION_SECONDS, secure)
}

/// The `Set-Cookie` value that removes it.
pub fn clear_cookie(secure: bool) -> String {
    cookie_header(COOKIE_NAME, "", 0, secure)
}

/// A `Set-Cookie` value as all of ours are: HttpOnly, SameSite=Lax, Secure over TLS.
pub fn cookie_header(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Whether a state-changing request may proceed: its `Origin` (when sent; browsers send it with
/// every POST) names this host, and `Sec-Fetch-Site` does not say it came from another site.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site");
    if cross_site {
        return false;
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return true;
    };
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cookie_is_parsed_and_checked() {
        let id = "ab".repeat(32);
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            format!("theme=dark; {COOKIE_NAME}={id}").parse().unwrap(),
        );
        assert_eq!(session_id(&h), Some(id));
        assert_eq!(
            session_id(&headers(&[("cookie", "stride_session=short")])),
            None
        );
        assert_eq!(
            set_cookie("x", true),
            "stride_session=x; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure"
        );
        assert_eq!(
            clear_cookie(false),
            "stride_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
    }

    #[test]
    fn origin_check() {
        assert!(same_origin(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "a.example"),
            ("origin", "null")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "a.example"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(
            same_origin(&headers(&[("host", "a.example")])),
            "no Origin: not a browser form"
        );
        assert!(is_tls(&headers(&[("x-forwarded-proto", "https")])));
        assert!(!is_tls(&headers(&[("origin", "http://a.example")])));
    }

    #[tokio::test]
    async fn a_session_signs_in_until_it_ends() {
        for (backend, pool) in db::testing::pools().await {
            let user = db::NewUser {
                username: "ada",
                email: "a@x.org",
                password_hash: "h",
                created_at: 1,
            };
            let ada = db::users::create_user(&pool, &user).await.unwrap();
            let id = start(&pool, ada).await.unwrap();
            let again = start(&pool, ada).await.unwrap();
            assert_ne!(id, again, "a new id each time, {backend}");
            let mut h = HeaderMap::new();
            h.insert(COOKIE, format!("{COOKIE_NAME}={id}").parse().unwrap());
            assert_eq!(user_of(&pool, &h).await.unwrap(), Some(ada), "{backend}");
            end(&pool, &h).await.unwrap();
            assert_eq!(user_of(&pool, &h).await.unwrap(), None, "{backend}");
        }
    }
}
