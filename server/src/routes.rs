//! The axum router: health check, the Leptos pages and server functions, and static files.

use app::server::db::Pool;
use app::server::{AppState, db};
use app::{App, shell};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use http::HeaderValue;
use http::StatusCode;
use http::header::CACHE_CONTROL;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();
    let network = state.network.clone();
    // leptos_routes registers every server function too, and puts `AppState` in their context.
    Router::new()
        .route("/healthz", get(healthz))
        .merge(crate::api::routes())
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        // Server functions change state with cookies: only from this site (D5).
        .layer(axum::middleware::from_fn_with_state(network, origin_check))
        .layer(axum::middleware::from_fn(server_fn_body_limit))
        .layer(axum::middleware::from_fn(private_pages))
        // The wasm is about 2.5x smaller gzipped; a zip (the export) is compressed already.
        .layer(CompressionLayer::new().compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/zip")),
        ))
        // Built files keep their names from one build to the next: browsers must revalidate
        // them (Last-Modified) rather than keep a stale wasm after an upgrade.
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            revalidate_pkg,
        ))
}

/// The app's routes, listed once per process. Listing them runs the app with resource loading
/// suppressed through a process-wide flag (leptos_server's `SuppressResourceLoad`), so a page
/// being rendered at that moment on another thread could wait forever for a resource that was
/// never loaded (leptos issue 4773). `stride serve` lists them before it serves; the tests,
/// which build a router per test in parallel, hung on it now and then (twice in ten runs).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Refuses (403) a POST to a server function whose `Origin` is another site. The upload API
/// under `/api/v1` authenticates by token, not cookie, so it is not subject to it.
async fn origin_check(
    State(network): State<std::sync::Arc<app::server::Network>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let guarded = request.method() == http::Method::POST
        && path.starts_with("/api/")
        && !path.starts_with("/api/v1/");
    if guarded && !app::server::session::same_origin(&network, request.headers()) {
        tracing::warn!(path, "refused a cross-origin server function call");
        return (
            StatusCode::FORBIDDEN,
            Json(serde_json::json!({ "error": "cross-origin request refused" })),
        )
            .into_response();
    }
    next.run(request).await
}

/// The largest body a server function takes (forms and small JSON; files go to the upload
/// routes), as axum's default.
pub const SERVER_FN_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Answers 413 for a server function's body over [`SERVER_FN_BODY_LIMIT`] (a Leptos server
/// function would answer 500, "length limit exceeded"): by its `Content-Length`, or while
/// reading one sent without it.
async fn server_fn_body_limit(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let server_fn = request.method() == http::Method::POST
        && path.starts_with("/api/")
        && !path.starts_with("/api/v1/")
        && !path.starts_with("/api/sync/");
    if !server_fn {
        return next.run(request).await;
    }
    let too_large = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(serde_json::json!({
                "error": format!("the request is larger than {SERVER_FN_BODY_LIMIT} bytes")
            })),
        )
            .into_response()
    };
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > SERVER_FN_BODY_LIMIT) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, SERVER_FN_BODY_LIMIT)
        .await
        .map_err(axum::Error::into_inner)
    {
        Ok(bytes) => {
            next.run(axum::extract::Request::from_parts(parts, bytes.into()))
                .await
        }
        Err(e) if e.is::<http_body_util::LengthLimitError>() => too_large(),
        Err(_) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": "cannot read the request" })),
        )
            .into_response(),
    }
}

/// `Cache-Control: private, no-store` on the pages of an account and of shared links: no cache
/// (the browser's, a proxy's, the service worker's) keeps them past a sign-out or revocation.
async fn private_pages(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let private = ["/account", "/shared/", "/signin/two-factor"]
        .iter()
        .any(|p| path.starts_with(p));
    let mut response = next.run(request).await;
    if private {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    response
}

/// `Cache-Control: no-cache` for the files under `/pkg` (wasm, JS, CSS).
fn revalidate_pkg<B>(response: &http::Response<B>) -> Option<HeaderValue> {
    let is_pkg = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.starts_with("application/wasm")
                || t.starts_with("text/javascript")
                || t.starts_with("text/css")
        });
    is_pkg.then(|| HeaderValue::from_static("no-cache"))
}

/// `GET /healthz`: 200 with the version when the database answers, 503 otherwise.
async fn healthz(State(pool): State<Pool>) -> impl IntoResponse {
    let version = env!("CARGO_PKG_VERSION");
    match db::ping(&pool).await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "version": version })),
        ),
        Err(e) => {
            tracing::error!("health check: database unavailable: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unavailable", "version": version })),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::server::Originals;
    use axum::body::Body;
    use http::Request;
    use http_body_util::BodyExt;
    use leptos::prelude::LeptosOptions;
    use tower::ServiceExt;

    async fn app() -> Router {
        let pool = db::open_in_memory().await.unwrap();
        let leptos_options = LeptosOptions::builder()
            .output_name("stride")
            .site_root("target/site")
            .build();
        router(AppState::new(leptos_options, pool, Originals::in_memory()))
    }

    async fn get(router: Router, uri: &str) -> (StatusCode, String) {
        let response = router
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn healthz_reports_the_version() {
        let (status, body) = get(app().await, "/healthz").await;
        assert_eq!(status, StatusCode::OK);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["status"], "ok");
        assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    }

    #[tokio::test]
    async fn healthz_is_503_without_a_database() {
        // Closing the pool makes every query fail, as a lost database would.
        let pool = db::open_in_memory().await.unwrap();
        pool.close().await;
        let leptos_options = LeptosOptions::builder().output_name("stride").build();
        let broken = super::router(AppState::new(leptos_options, pool, Originals::in_memory()));
        let (status, body) = get(broken, "/healthz").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    }

    #[tokio::test]
    async fn pages_render_on_the_server() {
        let (status, body) = get(app().await, "/runs").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains("<h1 class=\"page-header__title\">Runs</h1>"),
            "{body}"
        );
        assert!(body.contains("<title>Runs · Stride</title>"), "{body}");
        for link in ["/runs", "/dashboard", "/plans", "/watch", "/signin"] {
            assert!(
                body.contains(&format!("href=\"{link}\"")),
                "no link to {link}"
            );
        }
        assert!(body.contains("/pkg/stride.wasm") || body.contains("/pkg/stride.js"));
    }

    async fn post_form(
        router: Router,
        uri: &str,
        origin: Option<&str>,
        cookie: Option<&str>,
        form: &str,
    ) -> (StatusCode, http::HeaderMap, String) {
        let mut request = Request::post(uri)
            .header("host", "127.0.0.1:3000")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = router
            .oneshot(request.body(Body::from(form.to_string())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    #[tokio::test]
    async fn sign_up_sets_a_session_cookie_and_other_origins_are_refused() {
        for (backend, pool) in db::testing::pools().await {
            let options = LeptosOptions::builder().output_name("stride").build();
            let router = router(AppState::new(options, pool.clone(), Originals::in_memory()));
            let form = "username=ada&email=ada%40example.org&password=analytical+engine";
            let sign_up_path = <app::api::SignUp as leptos::server_fn::ServerFn>::PATH;
            let current_path = <app::api::CurrentAccount as leptos::server_fn::ServerFn>::PATH;

            let (status, _, body) = post_form(
                router.clone(),
                sign_up_path,
                Some("http://evil.example"),
                None,
                form,
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{backend}: {body}");
            assert_eq!(db::users::count_users(&pool).await.unwrap(), 0, "{backend}");

            let (status, headers, body) = post_form(
                router.clone(),
                sign_up_path,
                Some("http://127.0.0.1:3000"),
                None,
                form,
            )
            .await;
            assert!(
                status.is_success() || status.is_redirection(),
                "{backend} {status}: {body}"
            );
            let cookie = headers["set-cookie"].to_str().unwrap().to_string();
            assert!(cookie.starts_with("stride_session="), "{cookie}");
            assert!(cookie.contains("; HttpOnly; SameSite=Lax"), "{cookie}");
            assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
            assert_eq!(db::users::count_users(&pool).await.unwrap(), 1, "{backend}");

            // The cookie signs the browser in; the account page's server function sees it.
            let pair = cookie.split(';').next().unwrap();
            let (status, _, body) =
                post_form(router.clone(), current_path, None, Some(pair), "").await;
            assert_eq!(status, StatusCode::OK, "{backend}: {body}");
            assert!(body.contains("\"username\":\"ada\""), "{body}");
            let (_, _, body) = post_form(router.clone(), current_path, None, None, "").await;
            assert_eq!(body, "null", "signed out, {backend}");
        }
    }

    #[tokio::test]
    async fn unknown_address_is_404_with_the_page() {
        let (status, body) = get(app().await, "/no/such/page").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("Page not found"), "{body}");
    }

    #[tokio::test]
    async fn a_server_function_body_over_the_limit_is_413_not_500() {
        let router = app().await;
        let sign_in = <app::api::SignIn as leptos::server_fn::ServerFn>::PATH;
        let form = format!("login=ada&password={}", "a".repeat(SERVER_FN_BODY_LIMIT));
        let (status, _, body) = post_form(
            router.clone(),
            sign_in,
            Some("http://127.0.0.1:3000"),
            None,
            &form,
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        // Sent without a length, it is refused while it is read.
        let chunks = futures_util::stream::iter(
            (0..5).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b'a'; 600_000]))),
        );
        let request = Request::post(sign_in)
            .header("host", "127.0.0.1:3000")
            .header("origin", "http://127.0.0.1:3000")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from_stream(chunks))
            .unwrap();
        let response = router.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test]
    async fn fifty_wrong_passwords_at_once_are_checked_only_up_to_the_limit() {
        for (backend, pool) in db::testing::pools().await {
            let options = LeptosOptions::builder().output_name("stride").build();
            let router = router(AppState::new(options, pool.clone(), Originals::in_memory()));
            app::server::accounts::create_account(
                &pool,
                "ada",
                "ada@example.org",
                "analytical engine",
            )
            .await
            .unwrap();
            let sign_in = <app::api::SignIn as leptos::server_fn::ServerFn>::PATH;
            // By username and by email: one account, one count.
            let tries: Vec<_> = (0..50)
                .map(|i| {
                    let login = if i % 2 == 0 {
                        "ada"
                    } else {
                        "ada%40example.org"
                    };
                    let form = format!("login={login}&password=wrong+guess+{i}");
                    let router = router.clone();
                    tokio::spawn(async move {
                        post_form(router, sign_in, Some("http://127.0.0.1:3000"), None, &form).await
                    })
                })
                .collect();
            let mut statuses = Vec::new();
            for t in tries {
                statuses.push(t.await.unwrap().0.as_u16());
            }
            let checked = statuses.iter().filter(|s| **s != 429).count();
            assert!(
                checked <= app::server::rate_limit::PER_ACCOUNT,
                "{backend}: {checked} checked: {statuses:?}"
            );
            assert!(
                statuses.iter().all(|s| [400, 429].contains(s)),
                "{statuses:?}"
            );
        }
    }
}
