//! `stride user create` and `stride token create/list/revoke` as a self-hoster runs them, on a
//! SQLite data folder and on PostgreSQL (`--database-url`, when `STRIDE_TEST_POSTGRES_URL` is set).

use std::io::Write;
use std::process::{Command, Output, Stdio};

use app::server::credentials::{TOKEN_PREFIX, sha256_hex};
use app::server::db;

fn stride(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stride"))
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the stride binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the whole admin story against the storage that `storage` names.
/// Eight base32 characters (RFC 4648) as five bytes.
fn base32_block(chars: &str) -> Vec<u8> {
    let bits: u64 = chars.bytes().fold(0, |acc, c| {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {c}"),
        };
        (acc << 5) | u64::from(v)
    });
    bits.to_be_bytes()[3..].to_vec()
}

async fn admin_story(storage: &[&str], pool: impl AsyncFn() -> db::Pool) {
    let with = |args: &[&'static str]| -> Vec<String> {
        args.iter()
            .map(|s| s.to_string())
            .chain(storage.iter().map(|s| s.to_string()))
            .collect()
    };
    let run = |args: Vec<String>, stdin: &str| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        stride(&refs, stdin)
    };

    let created = run(
        with(&["user", "create", "ada", "--password-stdin"]),
        "analytical engine\n",
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(text(&created.stdout).starts_with("created user ada (id "));

    let common = run(
        with(&["user", "create", "bob", "--password-stdin"]),
        "1234567890\n",
    );
    assert!(!common.status.success());
    assert!(
        text(&common.stderr).contains("most common"),
        "{}",
        text(&common.stderr)
    );
    let twice = run(
        with(&["user", "create", "ADA", "--password-stdin"]),
        "analytical engine\n",
    );
    assert!(!twice.status.success(), "a taken name is refused");

    let token = run(with(&["token", "create", "ada", "--name", "phone"]), "");
    assert!(token.status.success(), "{}", text(&token.stderr));
    // The token alone on standard output, so that TOKEN=$(stride token create …) works.
    let stdout = text(&token.stdout);
    let token_value = stdout.trim_end();
    assert!(
        token_value.starts_with(TOKEN_PREFIX) && !token_value.contains('\n'),
        "{stdout:?}"
    );
    assert_eq!(token_value.len(), TOKEN_PREFIX.len() + 64);

    // Only the hash is stored.
    let pool = pool().await;
    let owner = db::tokens::token_user(&pool, &sha256_hex(token_value.as_bytes()))
        .await
        .unwrap();
    let ada = db::users::find_user_by_username(&pool, "ada")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner, Some(ada.id));
    assert_eq!(ada.email, "ada@users.invalid");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1")
        .bind(token_value)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "the token itself is nowhere in the database");

    let list = run(with(&["token", "list", "ada"]), "");
    let listed = text(&list.stdout);
    let id = listed.split('\t').next().unwrap().to_string();
    assert!(listed.contains("\tphone\t"), "{listed}");
    assert!(!listed.contains(token_value));

    let nobody = run(with(&["token", "create", "nobody"]), "");
    assert!(!nobody.status.success());
    assert!(text(&nobody.stderr).contains("there is no user \"nobody\""));

    let revoke_args: Vec<String> = ["token", "revoke", "ada", id.as_str()]
        .iter()
        .map(|s| s.to_string())
        .chain(storage.iter().map(|s| s.to_string()))
        .collect();
    let revoked = run(revoke_args.clone(), "");
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert_eq!(
        db::tokens::token_user(&pool, &sha256_hex(token_value.as_bytes()))
            .await
            .unwrap(),
        None
    );
    let again = run(revoke_args, "");
    assert!(!again.status.success(), "already revoked");

    // An admin turns two-factor sign-in off for a runner who lost the phone and the codes.
    let enrolment = app::server::two_factor::begin_enrolment(&pool, ada.id, "ada")
        .await
        .unwrap();
    let secret = enrolment.secret.replace(' ', "");
    let secret = (0..secret.len())
        .step_by(8)
        .flat_map(|i| base32_block(&secret[i..(i + 8).min(secret.len())]))
        .collect::<Vec<u8>>();
    let now = db::now();
    let code = app::server::totp::code_at_step(&secret, app::server::totp::step_of(now));
    app::server::two_factor::confirm_enrolment(&pool, ada.id, &code, now)
        .await
        .unwrap();
    assert!(db::two_factor::is_enabled(&pool, ada.id).await.unwrap());
    let off = run(with(&["user", "two-factor-off", "ada"]), "");
    assert!(off.status.success(), "{}", text(&off.stderr));
    assert_eq!(text(&off.stdout), "two-factor sign-in is off for ada\n");
    assert!(!db::two_factor::is_enabled(&pool, ada.id).await.unwrap());
    assert_eq!(
        db::two_factor::recovery_codes_left(&pool, ada.id)
            .await
            .unwrap(),
        0
    );
    let again = run(with(&["user", "two-factor-off", "ada"]), "");
    assert_eq!(
        text(&again.stdout),
        "two-factor sign-in was not on for ada\n"
    );
    pool.close().await;
}

#[tokio::test]
async fn admin_commands_on_a_sqlite_data_folder() {
    let dir = std::env::temp_dir().join(format!("stride-cli-accounts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.to_string_lossy().into_owned();
    admin_story(&["--data", &data], async || db::open(&dir).await.unwrap()).await;
    assert!(dir.join(db::DATABASE_FILE).is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn admin_commands_on_postgresql() {
    let Some(url) = db::testing::postgres_url().await else {
        return;
    };
    admin_story(&["--database-url", &url], async || {
        db::connect(&url).await.unwrap()
    })
    .await;
}
