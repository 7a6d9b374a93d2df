//! Who may do what to a synced run, through the whole router, on SQLite and PostgreSQL: the
//! owner, another signed-in user and an anonymous visitor, for list, view, original, delete,
//! export and the public link. Also: sync uploads, the Origin check, and deleting an account
//! (an original shared by content with another account's run stays for that account).

use analysis::Athlete;
use app::server::db::{self, Backend, Pool};
use app::server::{AppState, Originals, credentials, session};
use axum::Router;
use axum::body::{Body, Bytes};
use http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use leptos::server_fn::ServerFn;
use serde_json::Value;
use tower::ServiceExt;

const HOST: &str = "127.0.0.1:3000";
const ORIGIN: &str = "http://127.0.0.1:3000";

/// A file of the shared corpus, read in place.
fn fixture(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/../../shared/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&full).unwrap_or_else(|e| panic!("cannot read the fixture {full}: {e}"))
}

/// A 43-minute Garmin Forerunner 110 run with GPS, 590 records (python-fitparse, MIT).
fn gps_run() -> Vec<u8> {
    fixture("python-fitparse/2013-02-06-12-11-14.fit")
}

/// Garmin fenix 5, a 57 s run with 21 records (python-fitparse, MIT), from the repository's
/// own fixtures: the server's tests need no corpus for it.
fn short_run() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../analysis/tests/fixtures/garmin-fenix-5-run.fit"
    );
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

struct Answer {
    status: StatusCode,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct Site {
    backend: Backend,
    pool: Pool,
    originals: Originals,
    router: Router,
}

/// A signed-in account: its id, session cookie and personal access token.
struct Who {
    id: i64,
    cookie: Option<String>,
    token: Option<String>,
}

impl Who {
    fn anonymous() -> Self {
        Self {
            id: 0,
            cookie: None,
            token: None,
        }
    }
}

async fn sites() -> Vec<Site> {
    let mut sites = Vec::new();
    for (backend, pool) in db::testing::pools().await {
        let originals = Originals::in_memory();
        let options = LeptosOptions::builder().output_name("stride").build();
        let state = AppState::new(options, pool.clone(), originals.clone());
        sites.push(Site {
            backend,
            pool,
            originals,
            router: crate::routes::router(state),
        });
    }
    sites
}

impl Site {
    async fn account(&self, name: &str, password: &str) -> Who {
        let id = app::server::accounts::create_account(
            &self.pool,
            name,
            &format!("{name}@example.org"),
            password,
        )
        .await
        .unwrap();
        let cookie = format!(
            "{}={}",
            session::COOKIE_NAME,
            session::start(&self.pool, id).await.unwrap()
        );
        let (_, token) = app::server::accounts::issue_token(&self.pool, id, "test")
            .await
            .unwrap();
        Who {
            id,
            cookie: Some(cookie),
            token: Some(token),
        }
    }

    async fn send(
        &self,
        method: Method,
        uri: &str,
        who: &Who,
        bearer: bool,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", HOST)
            .header("origin", ORIGIN)
            .header("accept", "application/json");
        if let Some(cookie) = &who.cookie {
            request = request.header("cookie", cookie);
        }
        if bearer && let Some(token) = &who.token {
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
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Answer { status, body }
    }

    async fn get(&self, uri: &str, who: &Who) -> Answer {
        self.send(Method::GET, uri, who, false, None, Vec::new())
            .await
    }

    /// A GET as a browser sends it, accepting gzip: the answer as it comes, with its
    /// `Content-Encoding`.
    async fn get_as_browser(&self, uri: &str, who: &Who) -> (Answer, Option<String>) {
        let mut request = Request::builder()
            .uri(uri)
            .header("host", HOST)
            .header("accept-encoding", "gzip, deflate, br");
        if let Some(cookie) = &who.cookie {
            request = request.header("cookie", cookie);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let encoding = response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_string());
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (Answer { status, body }, encoding)
    }

    /// A GET of the upload API, with the account's token.
    async fn get_by_token(&self, uri: &str, who: &Who) -> Answer {
        let no_cookie = Who {
            id: who.id,
            cookie: None,
            token: who.token.clone(),
        };
        self.send(Method::GET, uri, &no_cookie, true, None, Vec::new())
            .await
    }

    /// A server function, by POST with a form, as a browser's `<ActionForm>` sends it.
    async fn call<F: ServerFn>(&self, who: &Who, form: &str) -> Answer {
        self.send(
            Method::POST,
            F::PATH,
            who,
            false,
            Some("application/x-www-form-urlencoded"),
            form.as_bytes().to_vec(),
        )
        .await
    }

    async fn sync_up(&self, who: &Who, name: &str, bytes: Vec<u8>) -> Answer {
        self.send(
            Method::POST,
            &format!("/api/sync/runs?name={name}"),
            who,
            false,
            Some("application/octet-stream"),
            bytes,
        )
        .await
    }
}

/// The entries of a zip, read back with the import's own reader.
fn unzip(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
    use app::archive::zip::{self, Tail};
    let len = archive.len() as u64;
    let tail = &archive[archive.len().saturating_sub(zip::TAIL_LEN as usize)..];
    let Tail::Directory(d) = zip::locate(tail, len).unwrap() else {
        panic!("no Zip64 here")
    };
    let dir = &archive[d.offset as usize..(d.offset + d.size) as usize];
    zip::entries(dir, &d)
        .unwrap()
        .into_iter()
        .map(|e| {
            let at = e.header_offset as usize;
            let start = zip::data_offset(&e, &archive[at..at + 30]).unwrap() as usize;
            let data = &archive[start..start + e.compressed_size as usize];
            (
                e.name.clone(),
                app::archive::unpack(data, e.packing().unwrap()).unwrap(),
            )
        })
        .collect()
}

/// `data-route` of a public page: the route's parts as `[lat, lon]` lists.
fn route_of(page: &str) -> Vec<Vec<[f64; 2]>> {
    let start = page.find("data-route=\"").expect("the page has a route") + 12;
    let end = start + page[start..].find('"').unwrap();
    serde_json::from_str(&page[start..end].replace("&quot;", "\"")).unwrap()
}

#[tokio::test]
async fn authorisation_matrix() {
    for site in sites().await {
        let b = site.backend;
        let owner = site.account("ada", "analytical engine").await;
        let other = site.account("grace", "compiler pioneer").await;
        let anonymous = Who::anonymous();
        let fit = gps_run();
        let sha = credentials::sha256_hex(&fit);

        // Sync up: analysed on the server, stored once.
        let up = site.sync_up(&owner, "morning.fit", fit.clone()).await;
        assert_eq!(up.status, StatusCode::CREATED, "{b}: {}", up.text());
        let id = up.json()["id"].as_str().unwrap().to_string();
        assert_eq!(up.json()["sha256"], sha.as_str());
        assert_eq!(up.json()["created"], true);
        let again = site.sync_up(&owner, "morning.fit", fit.clone()).await;
        assert_eq!(
            (again.status, again.json()["id"].as_str()),
            (StatusCode::OK, Some(id.as_str()))
        );
        let row = db::activities::find_activity(&site.pool, owner.id, &id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.name.as_deref(), Some("morning.fit"));
        let expected = analysis::summary::analyze_bytes(&fit, &Athlete::default()).unwrap();
        assert_eq!(
            row.summary,
            serde_json::to_string(&expected).unwrap(),
            "{b}"
        );
        assert_eq!(
            site.sync_up(&anonymous, "x.fit", fit.clone()).await.status,
            StatusCode::UNAUTHORIZED
        );

        // list
        use app::api::{DeleteSyncedRun, ListSyncedRuns, ShareRun, UnshareRun};
        let list = site.call::<ListSyncedRuns>(&owner, "").await;
        assert_eq!(list.status, StatusCode::OK, "{b}: {}", list.text());
        let listed = list.json();
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(listed[0]["id"], id.as_str());
        assert_eq!(listed[0]["sha256"], sha.as_str());
        assert_eq!(listed[0]["share"], Value::Null, "private by default, {b}");
        let theirs = site.call::<ListSyncedRuns>(&other, "").await;
        assert_eq!(
            (theirs.status, theirs.json()),
            (StatusCode::OK, Value::Array(vec![]))
        );
        assert_eq!(
            site.call::<ListSyncedRuns>(&anonymous, "").await.status,
            StatusCode::UNAUTHORIZED,
            "{b}"
        );

        // view (the upload API, by token)
        let view = format!("/api/v1/activities/{id}");
        let seen = site.get_by_token(&view, &owner).await;
        assert_eq!(seen.status, StatusCode::OK, "{b}");
        assert_eq!(
            seen.json()["summary"],
            serde_json::to_value(&expected).unwrap()
        );
        assert_eq!(
            site.get_by_token(&view, &other).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            site.get_by_token(&view, &anonymous).await.status,
            StatusCode::UNAUTHORIZED,
            "{b}"
        );

        // original (by session cookie, and by token)
        let original = format!("/api/sync/runs/{id}/original");
        let got = site.get(&original, &owner).await;
        assert_eq!(got.status, StatusCode::OK, "{b}");
        assert_eq!(
            credentials::sha256_hex(&got.body),
            sha,
            "the exact bytes, {b}"
        );
        assert_eq!(
            site.get(&original, &other).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            site.get(&original, &anonymous).await.status,
            StatusCode::UNAUTHORIZED
        );
        let by_token = format!("/api/v1/activities/{id}/original");
        assert_eq!(
            site.get_by_token(&by_token, &owner).await.body,
            fit.as_slice()
        );
        assert_eq!(
            site.get_by_token(&by_token, &other).await.status,
            StatusCode::NOT_FOUND
        );

        // export (as a browser asks for it: through the compression layers, which leave a zip
        // as it is)
        let (export, encoding) = site.get_as_browser("/api/sync/export", &owner).await;
        assert_eq!(export.status, StatusCode::OK, "{b}: {}", export.text());
        assert_eq!(encoding, None, "{b}");
        let files = unzip(&export.body);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                format!("originals/{sha}.fit").as_str(),
                "stride-export.json"
            ]
        );
        assert_eq!(files[0].1, fit, "{b}");
        let json: Value = serde_json::from_slice(&files[1].1).unwrap();
        assert_eq!(json["account"]["username"], "ada");
        assert_eq!(json["runs"][0]["id"], id.as_str());
        assert_eq!(
            json["runs"][0]["summary"],
            serde_json::to_value(&expected).unwrap()
        );
        assert_eq!(json["tokens"][0]["name"], "test");
        let text = String::from_utf8_lossy(&files[1].1);
        assert!(
            !text.contains(owner.token.as_deref().unwrap()),
            "no token secret"
        );
        assert!(!text.contains("argon2"), "no password hash");
        let their_export = site.get("/api/sync/export", &other).await;
        assert_eq!(their_export.status, StatusCode::OK);
        let their_files = unzip(&their_export.body);
        assert_eq!(
            their_files.len(),
            1,
            "only their JSON, none of ada's runs, {b}"
        );
        let their_json: Value = serde_json::from_slice(&their_files[0].1).unwrap();
        assert_eq!(their_json["account"]["username"], "grace");
        assert_eq!(their_json["runs"], Value::Array(vec![]));
        assert_eq!(
            site.get("/api/sync/export", &anonymous).await.status,
            StatusCode::UNAUTHORIZED
        );

        // public link: none yet, so no token opens it; only the owner makes one.
        let never = format!("/shared/{}", credentials::random_secret());
        for who in [&owner, &other, &anonymous] {
            assert_eq!(
                site.get(&never, who).await.status,
                StatusCode::NOT_FOUND,
                "{b}"
            );
        }
        let form = format!("id={id}&hide_hundreds=3");
        assert_eq!(
            site.call::<ShareRun>(&other, &form).await.status,
            StatusCode::NOT_FOUND,
            "{b}"
        );
        assert_eq!(
            site.call::<ShareRun>(&anonymous, &form).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            site.call::<ShareRun>(&owner, &format!("id={id}&hide_hundreds=21"))
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        let shared = site
            .call::<ShareRun>(&owner, &format!("id={id}&hide_hundreds=0"))
            .await;
        assert_eq!(shared.status, StatusCode::OK, "{b}: {}", shared.text());
        let path = shared.json()["path"].as_str().unwrap().to_string();
        let token = path.strip_prefix("/shared/").unwrap();
        assert_eq!(token.len(), 64, "256 random bits");
        let full = route_of(&site.get(&path, &anonymous).await.text());
        let full_points: Vec<[f64; 2]> = full.concat();
        assert!(full_points.len() > 100, "{b}: {}", full_points.len());
        // 300 m hidden at each end: the same link, and the page never holds those points.
        let hidden = site.call::<ShareRun>(&owner, &form).await;
        assert_eq!(hidden.json()["path"], path.as_str());
        assert_eq!(hidden.json()["hide_m"], 300);
        for who in [&owner, &other, &anonymous] {
            let page = site.get(&path, who).await;
            assert_eq!(page.status, StatusCode::OK, "{b}");
            let text = page.text();
            assert!(text.contains("A run shared on Stride"), "{b}");
            // The original's file name never reaches a public page.
            assert!(!text.contains("morning"), "{b}");
            let shown: Vec<[f64; 2]> = route_of(&text).concat();
            assert!(!shown.is_empty() && shown.len() < full_points.len(), "{b}");
            let [first, last] = [full_points[0], *full_points.last().unwrap()];
            for [lat, lon] in &shown {
                let from = analysis::series::geo::haversine(first[0], first[1], *lat, *lon);
                let to = analysis::series::geo::haversine(last[0], last[1], *lat, *lon);
                assert!(from >= 300.0 && to >= 300.0, "{b}: {from} {to}");
            }
            let start = format!("{},{}", first[0], first[1]);
            assert!(!text.contains(&start), "the start is not in the page, {b}");
            assert!(
                !text.contains(&format!("/api/sync/runs/{id}")),
                "no original"
            );
        }
        assert_eq!(
            site.call::<UnshareRun>(&other, &format!("id={id}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(site.get(&path, &anonymous).await.status, StatusCode::OK);
        assert_eq!(
            site.call::<UnshareRun>(&owner, &format!("id={id}"))
                .await
                .status,
            StatusCode::OK
        );
        for who in [&owner, &other, &anonymous] {
            assert_eq!(
                site.get(&path, who).await.status,
                StatusCode::NOT_FOUND,
                "revoked, {b}"
            );
        }

        // delete: only the owner's delete does anything.
        let delete = format!("id={id}");
        assert_eq!(
            site.call::<DeleteSyncedRun>(&other, &delete).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            site.call::<DeleteSyncedRun>(&anonymous, &delete)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            site.get(&original, &owner).await.status,
            StatusCode::OK,
            "{b}"
        );
        assert_eq!(
            site.call::<DeleteSyncedRun>(&owner, &delete).await.status,
            StatusCode::OK
        );
        assert_eq!(
            site.get(&original, &owner).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            site.originals.get(&sha).await.unwrap(),
            None,
            "original gone, {b}"
        );
    }
}

#[tokio::test]
async fn sync_refuses_other_sites_and_unreadable_files() {
    for site in sites().await {
        let b = site.backend;
        let owner = site.account("ada", "analytical engine").await;
        let mut request = Request::post("/api/sync/runs?name=x.fit")
            .header("host", HOST)
            .header("origin", "http://evil.example")
            .header("cookie", owner.cookie.as_deref().unwrap())
            .body(Body::from(short_run()))
            .unwrap();
        request
            .headers_mut()
            .insert("content-type", "application/octet-stream".parse().unwrap());
        let refused = site.router.clone().oneshot(request).await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{b}");
        let bad = site
            .sync_up(&owner, "notes.txt", b"not a run".to_vec())
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            bad.json()["error"]
                .as_str()
                .unwrap()
                .starts_with("not a readable FIT, GPX or TCX")
        );
        assert_eq!(
            db::activities::count_activities(&site.pool, owner.id)
                .await
                .unwrap(),
            0
        );
    }
}

#[tokio::test]
async fn deleting_an_account_keeps_an_original_another_account_shares() {
    use app::api::DeleteAccount;
    for site in sites().await {
        let b = site.backend;
        let ada = site.account("ada", "analytical engine").await;
        let grace = site.account("grace", "compiler pioneer").await;
        let (both, only_ada) = (short_run(), gps_run());
        for (who, bytes) in [(&ada, &both), (&ada, &only_ada), (&grace, &both)] {
            let up = site.sync_up(who, "run.fit", bytes.clone()).await;
            assert_eq!(up.status, StatusCode::CREATED, "{b}: {}", up.text());
        }
        let share = db::activities::all_activities(&site.pool, ada.id)
            .await
            .unwrap();
        app::server::sharing::share(&site.pool, &site.originals, ada.id, &share[0].id, 0)
            .await
            .unwrap();

        let wrong = site
            .call::<DeleteAccount>(&ada, "password=not+the+password")
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::BAD_REQUEST,
            "{b}: {}",
            wrong.text()
        );
        assert_eq!(db::users::count_users(&site.pool).await.unwrap(), 2);

        let done = site
            .call::<DeleteAccount>(&ada, "password=analytical+engine")
            .await;
        assert!(
            done.status.is_success() || done.status.is_redirection(),
            "{b}: {}",
            done.text()
        );
        assert_eq!(
            db::users::find_user(&site.pool, ada.id).await.unwrap(),
            None
        );
        assert_eq!(
            db::activities::count_activities(&site.pool, ada.id)
                .await
                .unwrap(),
            0
        );
        assert!(
            db::shares::shares_of_user(&site.pool, ada.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            db::tokens::list_tokens(&site.pool, ada.id)
                .await
                .unwrap()
                .is_empty()
        );
        // The session is gone: the cookie signs nobody in.
        assert_eq!(
            site.call::<app::api::ListSyncedRuns>(&ada, "").await.status,
            StatusCode::UNAUTHORIZED,
            "{b}"
        );
        let sha = |bytes: &[u8]| credentials::sha256_hex(bytes);
        assert_eq!(
            site.originals.get(&sha(&only_ada)).await.unwrap(),
            None,
            "{b}"
        );
        assert_eq!(
            site.originals.get(&sha(&both)).await.unwrap().as_deref(),
            Some(both.as_slice()),
            "grace's run keeps the shared original, {b}"
        );
        let theirs = db::activities::all_activities(&site.pool, grace.id)
            .await
            .unwrap();
        let got = site
            .get(&format!("/api/sync/runs/{}/original", theirs[0].id), &grace)
            .await;
        assert_eq!(got.body, both.as_slice(), "{b}");
    }
}

#[tokio::test]
async fn an_upload_racing_a_deletion_keeps_its_original() {
    use app::server::uploads::{analyse_upload, commit_upload};
    for site in sites().await {
        let b = site.backend;
        let ada = site.account("ada", "analytical engine").await;
        let grace = site.account("grace", "compiler pioneer").await;
        let bytes = short_run();
        let sha = credentials::sha256_hex(&bytes);
        site.sync_up(&ada, "a.fit", bytes.clone()).await;

        // Grace uploads the same bytes: analysed, and the put finds them stored (ada's).
        let upload = analyse_upload(bytes.clone().into(), 1 << 20).await.unwrap();
        assert!(
            !site
                .originals
                .put(&sha, upload.bytes.clone())
                .await
                .unwrap()
        );
        // Ada's account is deleted right then, to the end: no row keeps the original yet.
        let orphans = db::users::delete_user(&site.pool, ada.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(orphans, std::slice::from_ref(&sha), "{b}");
        app::server::forget_originals(&site.pool, &site.originals, &orphans)
            .await
            .unwrap();
        assert_eq!(site.originals.get(&sha).await.unwrap(), None, "{b}");
        // Grace's row goes in, and her upload's check puts the original back.
        let stored = commit_upload(&site.pool, &site.originals, grace.id, &upload, None)
            .await
            .unwrap();
        assert!(stored.created);
        assert_eq!(
            site.originals.get(&sha).await.unwrap().as_deref(),
            Some(bytes.as_slice()),
            "{b}"
        );
        // A deletion that comes after grace's row counts it and removes nothing.
        app::server::forget_originals(&site.pool, &site.originals, std::slice::from_ref(&sha))
            .await
            .unwrap();
        assert!(site.originals.contains(&sha).await.unwrap(), "{b}");
    }
}

#[tokio::test]
async fn account_server_functions_answer_their_own_statuses() {
    use app::api::{ChangePassword, CreateToken, RevokeToken, SignIn, SignInCode, SignUp};
    for site in sites().await {
        let b = site.backend;
        let ada = site.account("ada", "analytical engine").await;
        let anonymous = Who::anonymous();
        for (status, answer) in [
            (
                StatusCode::BAD_REQUEST,
                site.call::<SignIn>(&anonymous, "login=ada&password=difference+engine")
                    .await,
            ),
            (
                StatusCode::BAD_REQUEST,
                site.call::<SignUp>(
                    &anonymous,
                    "username=bob&email=bob%40example.org&password=1234567890",
                )
                .await,
            ),
            (
                StatusCode::UNAUTHORIZED,
                site.call::<ChangePassword>(&anonymous, "current=a&new_password=b")
                    .await,
            ),
            (
                StatusCode::BAD_REQUEST,
                site.call::<ChangePassword>(&ada, "current=wrong&new_password=a+new+long+one")
                    .await,
            ),
            (
                StatusCode::UNAUTHORIZED,
                site.call::<CreateToken>(&anonymous, "name=phone").await,
            ),
            (
                StatusCode::NOT_FOUND,
                site.call::<RevokeToken>(&ada, "id=987654").await,
            ),
            // No sign-in waiting for a code: expired, whatever the code.
            (
                StatusCode::BAD_REQUEST,
                site.call::<SignInCode>(&ada, "code=123456").await,
            ),
        ] {
            assert_eq!(answer.status, status, "{b}: {}", answer.text());
        }
    }
}

#[tokio::test]
async fn a_public_link_holds_only_what_its_page_shows_and_keeps_its_cut_route() {
    use app::api::{GetSharedRun, ShareRun};
    for site in sites().await {
        let b = site.backend;
        let owner = site.account("ada", "analytical engine").await;
        let anonymous = Who::anonymous();
        let fit = gps_run();
        let sha = credentials::sha256_hex(&fit);
        let up = site.sync_up(&owner, "2013-02-06-morning.fit", fit).await;
        assert_eq!(up.status, StatusCode::CREATED, "{b}");
        let id = up.json()["id"].as_str().unwrap().to_string();
        let shared = site
            .call::<ShareRun>(&owner, &format!("id={id}&hide_hundreds=2"))
            .await;
        let path = shared.json()["path"].as_str().unwrap().to_string();
        let token = path.strip_prefix("/shared/").unwrap().to_string();

        // The server function answers the page's fields and nothing else.
        let answer = site
            .call::<GetSharedRun>(&anonymous, &format!("token={token}"))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{b}: {}", answer.text());
        let json = answer.json();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            ["date", "hidden_m", "metrics", "route", "sport"],
            "{b}"
        );
        for metric in json["metrics"].as_object().unwrap().keys() {
            assert!(
                app::models::SharedRun::SHOWN.contains(&metric.as_str()),
                "{b}: {metric}"
            );
        }
        assert!(
            json["metrics"]["distance_m"].as_f64().unwrap() > 1_000.0,
            "{b}"
        );
        assert_eq!(json["date"], "2013-02-06", "{b}");
        // Nor does the page (its hydration data included) hold any private field.
        let page = site.get(&path, &anonymous).await.text();
        for private in [
            "basis",
            "warnings",
            "hr_zone",
            "rmssd",
            "resting_hr",
            "sleep",
            "hrv",
            "morning",
            "best_",
            "start_time",
            "utc_offset",
        ] {
            assert!(!page.contains(private), "{b}: the page holds {private}");
            assert!(
                !answer.text().contains(private),
                "{b}: the answer holds {private}"
            );
        }

        // The cut route is kept with the link: a view reads it without the original.
        let route = route_of(&page);
        assert!(route.concat().len() > 100, "{b}");
        site.originals.delete(&sha).await.unwrap();
        let again = site.get(&path, &anonymous).await;
        assert_eq!(again.status, StatusCode::OK, "{b}");
        assert_eq!(route_of(&again.text()), route, "{b}");
    }
}
