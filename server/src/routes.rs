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
        // The wasm is about 2.5x smaller gzipped.
        .layer(CompressionLayer::new())
        // Built files keep their names from one build to the next: browsers must revalidate
        // them (Last-Modified) rather than keep a stale wasm after an upgrade.
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            revalidate_pkg,
        ))
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

    #[tokio::test]
    async fn unknown_address_is_404_with_the_page() {
        let (status, body) = get(app().await, "/no/such/page").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("Page not found"), "{body}");
    }
}
