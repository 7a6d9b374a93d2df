//! Sessions of signed-in browsers. The cookie holds 256 random bits; the database holds only
//! their SHA-256 and the expiry. The cookie is HttpOnly and SameSite=Lax; with an `https://`
//! `--public-url` it is also Secure and named `__Host-stride_session` (a name the browser accepts
//! only from this very host, over HTTPS, for the whole site), which configuration decides, never
//! a request header.

use http::HeaderMap;
use http::header::{COOKIE, HOST, ORIGIN};

use super::credentials::{random_secret, sha256_hex};
use super::db::{self, Pool, SessionRow};
use super::network::Network;

/// The name of the session cookie (with `__Host-` before it over HTTPS).
pub const COOKIE_NAME: &str = "stride_session";
/// How long a session lasts, seconds (30 days).
pub const SESSION_SECONDS: i64 = 30 * 24 * 3600;

/// The session id the request's cookie carries.
pub fn session_id(net: &Network, headers: &HeaderMap) -> Option<String> {
    secret_cookie(headers, &net.cookie_name(COOKIE_NAME))
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
pub async fn user_of(
    pool: &Pool,
    net: &Network,
    headers: &HeaderMap,
) -> Result<Option<i64>, sqlx::Error> {
    match session_id(net, headers) {
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
pub async fn end(pool: &Pool, net: &Network, headers: &HeaderMap) -> Result<(), sqlx::Error> {
    match session_id(net, headers) {
        Some(id) => db::sessions::delete_session(pool, &sha256_hex(id.as_bytes())).await,
        None => Ok(()),
    }
}

/// The hash under which the request's session is stored.
pub fn session_hash(net: &Network, headers: &HeaderMap) -> Option<String> {
    session_id(net, headers).map(|id| sha256_hex(id.as_bytes()))
}

/// Deletes the sessions that have expired; answers how many. The server does it when it starts
/// and every hour (`stride serve`), so the table holds live sessions only.
pub async fn sweep_expired(pool: &Pool) -> Result<u64, sqlx::Error> {
    db::sessions::delete_expired_sessions(pool, db::now()).await
}

/// The `Set-Cookie` value that sets the session cookie.
pub fn set_cookie(net: &Network, id: &str) -> String {
    cookie_header(
        &net.cookie_name(COOKIE_NAME),
        id,
        SESSION_SECONDS,
        net.secure(),
    )
}

/// The `Set-Cookie` value that removes it.
pub fn clear_cookie(net: &Network) -> String {
    cookie_header(&net.cookie_name(COOKIE_NAME), "", 0, net.secure())
}

/// A `Set-Cookie` value as all of ours are: HttpOnly, SameSite=Lax, Secure over TLS.
pub fn cookie_header(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Whether a state-changing request may proceed: its `Origin` (when sent; browsers send it with
/// every POST) is the public origin (`--public-url`) or, without one, names the `Host` the
/// request was sent to; and `Sec-Fetch-Site` does not say it came from another site.
pub fn same_origin(net: &Network, headers: &HeaderMap) -> bool {
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == "cross-site");
    if cross_site {
        return false;
    }
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return headers.get(ORIGIN).is_none();
    };
    let origin = origin.trim_end_matches('/');
    if let Some(public) = &net.public_origin {
        return origin.eq_ignore_ascii_case(public);
    }
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
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
        let plain = Network::default();
        let tls = Network {
            public_origin: Some("https://stride.example.org".into()),
            ..Network::default()
        };
        assert_eq!(session_id(&plain, &h), Some(id.clone()));
        // Over HTTPS only the __Host- cookie counts: one set without the prefix (by a sibling
        // host, or over plain HTTP) signs nobody in.
        assert_eq!(session_id(&tls, &h), None);
        let mut prefixed = HeaderMap::new();
        prefixed.insert(
            COOKIE,
            format!("__Host-{COOKIE_NAME}={id}").parse().unwrap(),
        );
        assert_eq!(session_id(&tls, &prefixed), Some(id));
        assert_eq!(
            session_id(&plain, &headers(&[("cookie", "stride_session=short")])),
            None
        );
        assert_eq!(
            set_cookie(&tls, "x"),
            "__Host-stride_session=x; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure"
        );
        assert_eq!(
            clear_cookie(&plain),
            "stride_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
    }

    #[test]
    fn origin_check() {
        let plain = Network::default();
        assert!(same_origin(
            &plain,
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000")
            ])
        ));
        assert!(!same_origin(
            &plain,
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://evil.example")
            ])
        ));
        assert!(!same_origin(
            &plain,
            &headers(&[("host", "a.example"), ("origin", "null")])
        ));
        assert!(!same_origin(
            &plain,
            &headers(&[("host", "a.example"), ("sec-fetch-site", "cross-site")])
        ));
        assert!(
            same_origin(&plain, &headers(&[("host", "a.example")])),
            "no Origin: not a browser form"
        );
        // Behind a proxy that rewrites Host, the configured public origin decides.
        let proxied = Network {
            public_origin: Some("https://stride.example.org".into()),
            ..Network::default()
        };
        assert!(same_origin(
            &proxied,
            &headers(&[
                ("host", "127.0.0.1:3000"),
                ("origin", "https://stride.example.org")
            ])
        ));
        assert!(!same_origin(
            &proxied,
            &headers(&[
                ("host", "stride.example.org"),
                ("origin", "http://stride.example.org")
            ])
        ));
    }

    #[tokio::test]
    async fn a_session_signs_in_until_it_ends() {
        for (backend, pool) in db::testing::pools().await {
            let ada = db::testing::user(&pool, "ada").await;
            let id = start(&pool, ada).await.unwrap();
            let again = start(&pool, ada).await.unwrap();
            assert_ne!(id, again, "a new id each time, {backend}");
            let mut h = HeaderMap::new();
            h.insert(COOKIE, format!("{COOKIE_NAME}={id}").parse().unwrap());
            let net = Network::default();
            assert_eq!(
                user_of(&pool, &net, &h).await.unwrap(),
                Some(ada),
                "{backend}"
            );
            end(&pool, &net, &h).await.unwrap();
            assert_eq!(user_of(&pool, &net, &h).await.unwrap(), None, "{backend}");
        }
    }

    #[tokio::test]
    async fn expired_sessions_are_swept_away() {
        for (backend, pool) in db::testing::pools().await {
            let ada = db::testing::user(&pool, "ada").await;
            let live = start(&pool, ada).await.unwrap();
            let old = SessionRow {
                id_hash: sha256_hex(b"old"),
                user_id: ada,
                created_at: 1,
                expires_at: 2,
            };
            db::sessions::create_session(&pool, &old).await.unwrap();
            assert_eq!(sweep_expired(&pool).await.unwrap(), 1, "{backend}");
            assert_eq!(sweep_expired(&pool).await.unwrap(), 0, "{backend}");
            let mut h = HeaderMap::new();
            h.insert(COOKIE, format!("{COOKIE_NAME}={live}").parse().unwrap());
            let net = Network::default();
            assert_eq!(
                user_of(&pool, &net, &h).await.unwrap(),
                Some(ada),
                "{backend}"
            );
        }
    }
}
