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
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    // leptos_routes registers every server function too, and puts `AppState` in their context.
    Router::new()
        .route("/healthz", get(healthz))
        .merge(crate::api::routes())
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        // Server functions change state with cookies: only from this site (D5).
        .layer(axum::middleware::from_fn(origin_check))
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

/// Refuses (403) a POST to a server function whose `Origin` is another site. The upload API
/// under `/api/v1` authenticates by token, not cookie, so it is not subject to it.
async fn origin_check(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let guarded = request.method() == http::Method::POST
        && path.starts_with("/api/")
        && !path.starts_with("/api/v1/");
    if guarded && !app::server::session::same_origin(request.headers()) {
        tracing::warn!(path, "refused a cross-origin server function call");
        return (
            StatusCode::FORBIDDEN,
            Json(serde_json::json!({ "error": "cross-origin request refused" })),
        )
            .into_response();
    }
    next.run(request).await
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
}
