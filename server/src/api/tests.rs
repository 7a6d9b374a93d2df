//! The upload API through the whole axum router, on SQLite and on PostgreSQL (when
//! `STRIDE_TEST_POSTGRES_URL` is set; scripts/test sets it).

use analysis::Athlete;
use app::server::db::{self, Backend, Pool};
use app::server::{AppState, Limits, Originals, credentials};
use axum::Router;
use axum::body::{Body, Bytes};
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use serde_json::Value;
use tower::ServiceExt;

/// A file of the shared corpus (read in place: ../shared/fixtures beside the repository).
fn fixture(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/../../shared/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read the fixture {full}: {e}"))
}

/// Garmin fenix 5, a 57 s run with 21 records (python-fitparse, MIT), from the repository's
/// own fixtures: the server's tests need no corpus for it.
fn fenix_run() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../analysis/tests/fixtures/garmin-fenix-5-run.fit"
    );
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// A Garmin Connect GPX export with 217 points (sports-lib; read in place, never copied).
fn garmin_gpx() -> Vec<u8> {
    fixture("sports-lib/garmin.gpx")
}

struct Server {
    backend: Backend,
    router: Router,
    originals: Originals,
    /// Tokens of ada and grace.
    ada: String,
    grace: String,
}

async fn user_with_token(pool: &Pool, name: &str) -> String {
    let id = db::users::create_user(
        pool,
        &db::NewUser {
            username: name,
            email: &format!("{name}@example.org"),
            password_hash: "unused",
            created_at: 1,
        },
    )
    .await
    .unwrap();
    let token = credentials::new_token();
    db::tokens::create_token(
        pool,
        id,
        "test",
        &credentials::sha256_hex(token.as_bytes()),
        1,
    )
    .await
    .unwrap();
    token
}

async fn servers(limits: Limits) -> Vec<Server> {
    let mut servers = Vec::new();
    for (backend, pool) in db::testing::pools().await {
        let ada = user_with_token(&pool, "ada").await;
        let grace = user_with_token(&pool, "grace").await;
        let originals = Originals::in_memory();
        let options = LeptosOptions::builder().output_name("stride").build();
        let state = AppState::new(options, pool, originals.clone()).with_limits(limits);
        servers.push(Server {
            backend,
            router: crate::routes::router(state),
            originals,
            ada,
            grace,
        });
    }
    servers
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

impl Server {
    async fn send(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body,
        }
    }

    async fn upload(&self, token: &str, bytes: Vec<u8>) -> Answer {
        self.send(Method::POST, "/api/v1/activities", Some(token), None, bytes)
            .await
    }

    async fn get(&self, uri: &str, token: Option<&str>) -> Answer {
        self.send(Method::GET, uri, token, None, Vec::new()).await
    }

    /// A GET that takes gzip, as phone apps and browsers ask: the answer's headers and its
    /// body gunzipped.
    async fn get_gzip(&self, uri: &str, token: &str) -> (HeaderMap, Vec<u8>) {
        use std::io::Read;
        let request = Request::get(uri)
            .header("authorization", format!("Bearer {token}"))
            .header("accept-encoding", "gzip, deflate, br")
            .body(Body::empty())
            .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(&body[..])
            .read_to_end(&mut text)
            .unwrap_or_else(|e| panic!("{uri}: not gzip ({e})"));
        (headers, text)
    }
}

fn multipart(bytes: &[u8], file_name: &str) -> (String, Vec<u8>) {
    let boundary = "stride-test-boundary-7d3f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn upload_is_analysed_on_the_server_and_kept_once() {
    for s in servers(Limits::default()).await {
        let b = s.backend;
        let fit = fenix_run();
        let first = s.upload(&s.ada, fit.clone()).await;
        assert_eq!(first.status, StatusCode::CREATED, "{b}: {:?}", first.body);
        let json = first.json();
        let id = json["id"].as_str().unwrap().to_string();
        assert_eq!(json["sha256"], credentials::sha256_hex(&fit), "{b}");
        assert_eq!(json["size_bytes"], 5597, "{b}");
        // The server's own analysis: what `stride analyze --json` prints for the file.
        let expected = analysis::summary::analyze_bytes(&fit, &Athlete::default()).unwrap();
        assert_eq!(
            json["summary"],
            serde_json::to_value(&expected).unwrap(),
            "{b}"
        );
        assert_eq!(json["summary"]["format"], "fit");
        assert_eq!(json["summary"]["sport"], "running");
        assert_eq!(
            json["summary"]["records"], 21,
            "SOURCES.md: 21 records, {b}"
        );
        assert_eq!(
            first.headers["location"],
            format!("/api/v1/activities/{id}").as_str()
        );

        // The same bytes again, raw or in a multipart form: 200 and the same id.
        let again = s.upload(&s.ada, fit.clone()).await;
        assert_eq!(again.status, StatusCode::OK, "{b}");
        assert_eq!(again.json()["id"], id.as_str());
        let (content_type, form) = multipart(&fit, "run.fit");
        let by_form = s
            .send(
                Method::POST,
                "/api/v1/activities",
                Some(&s.ada),
                Some(&content_type),
                form,
            )
            .await;
        assert_eq!(by_form.status, StatusCode::OK, "{b}: {:?}", by_form.body);
        assert_eq!(by_form.json()["id"], id.as_str());

        // A GPX file by multipart is a second run.
        let gpx = garmin_gpx();
        let (content_type, form) = multipart(&gpx, "garmin.gpx");
        let second = s
            .send(
                Method::POST,
                "/api/v1/activities",
                Some(&s.ada),
                Some(&content_type),
                form,
            )
            .await;
        assert_eq!(second.status, StatusCode::CREATED, "{b}: {:?}", second.body);
        let second = second.json();
        assert_eq!(second["summary"]["format"], "gpx");
        assert_eq!(
            second["summary"]["records"], 217,
            "SOURCES.md: 217 points, {b}"
        );

        // Listed newest first, by start time.
        let list = s.get("/api/v1/activities", Some(&s.ada)).await;
        assert_eq!(list.status, StatusCode::OK);
        let list = list.json();
        assert_eq!(list["total"], 2, "{b}");
        assert_eq!(list["next"], Value::Null);
        let starts: Vec<&str> = list["activities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["summary"]["start_time"].as_str().unwrap())
            .collect();
        assert_eq!(starts.len(), 2);
        assert!(starts[0] > starts[1], "newest first: {starts:?}, {b}");

        let page = s
            .get("/api/v1/activities?limit=1", Some(&s.ada))
            .await
            .json();
        assert_eq!(page["activities"].as_array().unwrap().len(), 1);
        assert_eq!(page["next"], "/api/v1/activities?limit=1&offset=1", "{b}");
        let last = s
            .get("/api/v1/activities?limit=1&offset=1", Some(&s.ada))
            .await
            .json();
        assert_eq!(last["activities"][0]["id"], list["activities"][1]["id"]);
        assert_eq!(last["next"], Value::Null, "{b}");

        // Taking gzip, the list and a run are joined from the stored pieces: the same bytes.
        for uri in [
            "/api/v1/activities".to_string(),
            "/api/v1/activities?limit=1&offset=1".to_string(),
            format!("/api/v1/activities/{id}"),
        ] {
            let plain = s.get(&uri, Some(&s.ada)).await;
            assert_eq!(plain.headers["vary"], "accept-encoding", "{uri}");
            let (headers, gunzipped) = s.get_gzip(&uri, &s.ada).await;
            assert_eq!(headers["content-encoding"], "gzip", "{uri}");
            assert_eq!(headers["content-type"], "application/json", "{uri}");
            assert_eq!(headers["vary"], "accept-encoding", "{uri}");
            assert_eq!(
                String::from_utf8_lossy(&gunzipped),
                String::from_utf8_lossy(&plain.body),
                "{uri}, {b}"
            );
        }

        // The original comes back byte for byte.
        let original = s
            .get(&format!("/api/v1/activities/{id}/original"), Some(&s.ada))
            .await;
        assert_eq!(original.status, StatusCode::OK, "{b}");
        assert_eq!(original.body.as_ref(), fit.as_slice(), "{b}");
        assert_eq!(original.headers["content-type"], "application/vnd.ant.fit");

        let view = s
            .get(&format!("/api/v1/activities/{id}"), Some(&s.ada))
            .await;
        assert_eq!(view.json()["summary"], json["summary"], "{b}");

        // Deleted: gone, and so is its original (no one else keeps it).
        let sha = json["sha256"].as_str().unwrap();
        let gone = s
            .send(
                Method::DELETE,
                &format!("/api/v1/activities/{id}"),
                Some(&s.ada),
                None,
                vec![],
            )
            .await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT, "{b}");
        assert_eq!(
            s.get(&format!("/api/v1/activities/{id}"), Some(&s.ada))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(s.originals.get(sha).await.unwrap(), None, "{b}");
        assert_eq!(
            s.get("/api/v1/activities", Some(&s.ada)).await.json()["total"],
            1
        );
    }
}

#[tokio::test]
async fn bad_files_sizes_tokens_and_queries_are_refused_with_a_reason() {
    let limits = Limits {
        max_upload_bytes: 6_000,
        ..Limits::default()
    };
    for s in servers(limits).await {
        let b = s.backend;
        let not_a_run = s.upload(&s.ada, b"hello, this is not a run".to_vec()).await;
        assert_eq!(not_a_run.status, StatusCode::BAD_REQUEST, "{b}");
        let message = not_a_run.json()["error"].as_str().unwrap().to_string();
        assert!(
            message.starts_with("not a readable FIT, GPX or TCX file: "),
            "{message}"
        );

        let empty = s.upload(&s.ada, Vec::new()).await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert_eq!(empty.json()["error"], "the file is empty", "{b}");

        // Over the limit of 6000 bytes: 413, as raw body and in a form.
        let big = garmin_gpx();
        assert!(big.len() > 6_000);
        let too_large = s.upload(&s.ada, big.clone()).await;
        assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
        assert_eq!(
            too_large.json()["error"],
            "the file is larger than the limit of 6000 bytes"
        );
        let (content_type, form) = multipart(&big, "big.gpx");
        let form = s
            .send(
                Method::POST,
                "/api/v1/activities",
                Some(&s.ada),
                Some(&content_type),
                form,
            )
            .await;
        assert_eq!(form.status, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
        // The 5597-byte run is under it.
        assert_eq!(
            s.upload(&s.ada, fenix_run()).await.status,
            StatusCode::CREATED
        );

        let (content_type, _) = multipart(b"", "x");
        let no_file = s
            .send(
                Method::POST,
                "/api/v1/activities",
                Some(&s.ada),
                Some(&content_type),
                b"--stride-test-boundary-7d3f--\r\n".to_vec(),
            )
            .await;
        assert_eq!(no_file.status, StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(
            no_file.json()["error"],
            "the multipart form has no file part"
        );

        let anonymous = s
            .send(Method::POST, "/api/v1/activities", None, None, fenix_run())
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{b}");
        assert_eq!(
            anonymous.headers["www-authenticate"],
            "Bearer realm=\"stride\""
        );
        assert!(
            anonymous.json()["error"]
                .as_str()
                .unwrap()
                .contains("Bearer")
        );
        let wrong = s.upload("stride_pat_0000", fenix_run()).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{b}");

        let bad_limit = s.get("/api/v1/activities?limit=1000", Some(&s.ada)).await;
        assert_eq!(bad_limit.status, StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(
            bad_limit.json()["error"],
            "limit must be a whole number from 0 to 100, not \"1000\""
        );
    }
}

#[tokio::test]
async fn authorisation_matrix_owner_other_user_anonymous() {
    for s in servers(Limits::default()).await {
        let b = s.backend;
        let fit = fenix_run();
        let id = s.upload(&s.ada, fit.clone()).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let view = format!("/api/v1/activities/{id}");
        let original = format!("{view}/original");

        // Owner.
        let list = s.get("/api/v1/activities", Some(&s.ada)).await;
        assert_eq!(
            (list.status, list.json()["total"].clone()),
            (StatusCode::OK, 1.into()),
            "{b}"
        );
        assert_eq!(
            s.get(&view, Some(&s.ada)).await.status,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            s.get(&original, Some(&s.ada)).await.status,
            StatusCode::OK,
            "{b}"
        );

        // Another user: an empty list, and 404 (never 403) for the run, as for a missing id.
        let list = s.get("/api/v1/activities", Some(&s.grace)).await;
        assert_eq!(
            (list.status, list.json()["total"].clone()),
            (StatusCode::OK, 0.into()),
            "{b}"
        );
        for uri in [
            &view,
            &original,
            &"/api/v1/activities/no-such-id".to_string(),
        ] {
            let answer = s.get(uri, Some(&s.grace)).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{b} {uri}");
            assert_eq!(answer.json()["error"], "no such activity");
        }
        let delete = s
            .send(Method::DELETE, &view, Some(&s.grace), None, vec![])
            .await;
        assert_eq!(delete.status, StatusCode::NOT_FOUND, "{b}");

        // Anonymous: 401 everywhere.
        for (method, uri) in [
            (Method::GET, "/api/v1/activities"),
            (Method::GET, view.as_str()),
            (Method::GET, original.as_str()),
            (Method::DELETE, view.as_str()),
        ] {
            let answer = s.send(method.clone(), uri, None, None, vec![]).await;
            assert_eq!(
                answer.status,
                StatusCode::UNAUTHORIZED,
                "{b} {method} {uri}"
            );
        }

        // Still there for its owner; then the owner deletes it.
        assert_eq!(
            s.get(&original, Some(&s.ada)).await.body.as_ref(),
            fit.as_slice()
        );
        let delete = s
            .send(Method::DELETE, &view, Some(&s.ada), None, vec![])
            .await;
        assert_eq!(delete.status, StatusCode::NO_CONTENT, "{b}");
        let again = s
            .send(Method::DELETE, &view, Some(&s.ada), None, vec![])
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "{b}");
    }
}

#[tokio::test]
async fn one_object_for_the_same_file_of_two_users() {
    for s in servers(Limits::default()).await {
        let b = s.backend;
        let fit = fenix_run();
        let sha = credentials::sha256_hex(&fit);
        let ada_run = s.upload(&s.ada, fit.clone()).await.json();
        let grace_run = s.upload(&s.grace, fit.clone()).await;
        assert_eq!(
            grace_run.status,
            StatusCode::CREATED,
            "each user has their own run, {b}"
        );
        let grace_run = grace_run.json();
        assert_ne!(ada_run["id"], grace_run["id"]);
        assert_eq!(ada_run["sha256"], grace_run["sha256"]);

        let uri = format!("/api/v1/activities/{}", ada_run["id"].as_str().unwrap());
        s.send(Method::DELETE, &uri, Some(&s.ada), None, vec![])
            .await;
        assert!(
            s.originals.get(&sha).await.unwrap().is_some(),
            "grace still keeps it, {b}"
        );
        let uri = format!(
            "/api/v1/activities/{}/original",
            grace_run["id"].as_str().unwrap()
        );
        assert_eq!(
            s.get(&uri, Some(&s.grace)).await.body.as_ref(),
            fit.as_slice(),
            "{b}"
        );
    }
}

#[tokio::test]
async fn openapi_document_describes_the_routes() {
    let s = servers(Limits::default()).await.remove(0);
    let doc = s.get("/api/v1/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.headers["content-type"], "application/json");
    let doc = doc.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(
        paths,
        [
            "/api/v1/activities",
            "/api/v1/activities/{id}",
            "/api/v1/activities/{id}/original",
            "/api/v1/openapi.json"
        ]
    );
    let post = &doc["paths"]["/api/v1/activities"]["post"]["responses"];
    for status in ["200", "201", "400", "401", "413"] {
        assert!(post.get(status).is_some(), "POST documents {status}");
    }
    // The summary's schema names every field a real summary has, down into its basis.
    let summary = serde_json::to_value(
        analysis::summary::analyze_bytes(&fenix_run(), &Athlete::default()).unwrap(),
    )
    .unwrap();
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let schema = &doc["components"]["schemas"]["Summary"]["properties"];
    // `name` and `utc_offset_s` are left out when a file has none (this one has an offset).
    let optional = ["name", "utc_offset_s"];
    let always: Vec<String> = keys(schema)
        .into_iter()
        .filter(|k| !optional.contains(&k.as_str()))
        .collect();
    let present: Vec<String> = keys(&summary)
        .into_iter()
        .filter(|k| !optional.contains(&k.as_str()))
        .collect();
    assert_eq!(always, present);
    assert!(keys(&summary).iter().all(|k| schema.get(k).is_some()));
    assert!(summary.get("utc_offset_s").is_some());
    for part in ["load", "wellness"] {
        assert_eq!(
            keys(&schema["basis"]["properties"][part]["properties"]),
            keys(&summary["basis"][part]),
            "basis.{part}"
        );
    }
    assert_eq!(
        keys(&schema["basis"]["properties"]),
        keys(&summary["basis"])
    );
}

/// A request whose body sends four bytes and then nothing, as a slow or stalled client does.
fn stalled_upload(token: &str) -> Request<Body> {
    use futures_util::StreamExt;
    let first =
        futures_util::stream::once(async { Ok::<_, std::io::Error>(Bytes::from_static(b".FIT")) });
    Request::post("/api/v1/activities")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from_stream(
            first.chain(futures_util::stream::pending()),
        ))
        .unwrap()
}

#[tokio::test]
async fn many_slow_uploads_at_once_take_the_permits_and_time_out() {
    let limits = Limits {
        concurrent_uploads: 2,
        upload_idle: std::time::Duration::from_millis(1_500),
        upload_timeout: std::time::Duration::from_secs(5),
        ..Limits::default()
    };
    for s in servers(limits).await {
        let b = s.backend;
        // Ten stalled uploads at once: two are received (and dropped when they send nothing
        // for the idle time), the other eight are told at once to come back.
        let slow: Vec<_> = (0..10)
            .map(|_| tokio::spawn(s.router.clone().oneshot(stalled_upload(&s.ada))))
            .collect();
        let mut statuses = Vec::new();
        for task in slow {
            let response = task.await.unwrap().unwrap();
            if response.status() == StatusCode::SERVICE_UNAVAILABLE {
                assert_eq!(response.headers()["retry-after"], "5", "{b}");
            }
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            if status == StatusCode::REQUEST_TIMEOUT {
                let text = String::from_utf8_lossy(&body);
                assert!(text.contains("took too long to arrive"), "{b}: {text}");
            }
            statuses.push(status.as_u16());
        }
        statuses.sort();
        assert_eq!(
            statuses,
            [408, 408, 503, 503, 503, 503, 503, 503, 503, 503],
            "{b}"
        );
        // The permits are back: a whole upload goes through.
        let whole = s.upload(&s.ada, fenix_run()).await;
        assert_eq!(whole.status, StatusCode::CREATED, "{b}");
    }
}

#[tokio::test]
async fn a_huge_offset_is_a_bad_request() {
    for s in servers(Limits::default()).await {
        let b = s.backend;
        for offset in [i64::MAX.to_string(), (i64::MAX - 1).to_string()] {
            let page = s
                .get(&format!("/api/v1/activities?offset={offset}"), Some(&s.ada))
                .await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{b} {offset}");
            assert!(
                page.json()["error"]
                    .as_str()
                    .unwrap()
                    .starts_with("offset must be a whole number from 0 to"),
                "{b}"
            );
        }
        let last = s
            .get(
                &format!("/api/v1/activities?offset={}", i64::MAX - 100),
                Some(&s.ada),
            )
            .await;
        assert_eq!(last.status, StatusCode::OK, "{b}");
        assert_eq!(last.json()["next"], Value::Null, "{b}");
    }
}
