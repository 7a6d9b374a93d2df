//! `stride user …` and `stride token …`: accounts and personal access tokens for admins and
//! scripts, on the same database as `stride serve` (`--data DIR` or `--database-url URL`).

use std::io::Read;

use app::server::accounts::{self, AccountError};
use app::server::db::{self, Pool};
use clap::{Args, Subcommand};

use crate::StorageArgs;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create(UserCreateArgs),
    /// Turn a user's two-factor sign-in off (the secret and recovery codes go), for a runner
    /// who lost both the phone and the recovery codes.
    TwoFactorOff(UserArgs),
}

#[derive(Debug, Args)]
pub struct UserArgs {
    username: String,
    #[command(flatten)]
    storage: StorageArgs,
}

#[derive(Debug, Args)]
pub struct UserCreateArgs {
    username: String,
    /// Read the password from standard input (its first line).
    #[arg(long, required = true)]
    password_stdin: bool,
    /// The account's email (default USERNAME@users.invalid, a placeholder).
    #[arg(long)]
    email: Option<String>,
    #[command(flatten)]
    storage: StorageArgs,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a personal access token for the upload API and print it (once: only its hash is
    /// kept).
    Create(TokenCreateArgs),
    /// List a user's tokens (ids and names, never the tokens).
    List(TokenUserArgs),
    /// Revoke one of a user's tokens by id.
    Revoke(TokenRevokeArgs),
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    username: String,
    /// A name to tell the token apart (e.g. the phone it is for).
    #[arg(long, default_value = "cli")]
    name: String,
    #[command(flatten)]
    storage: StorageArgs,
}

#[derive(Debug, Args)]
pub struct TokenUserArgs {
    username: String,
    #[command(flatten)]
    storage: StorageArgs,
}

#[derive(Debug, Args)]
pub struct TokenRevokeArgs {
    username: String,
    /// The token's id, as `stride token list` shows it.
    id: i64,
    #[command(flatten)]
    storage: StorageArgs,
}

fn account_error(e: AccountError) -> String {
    match e {
        AccountError::Database(e) => format!("database error: {e}"),
        other => other.to_string(),
    }
}

async fn user_id(pool: &Pool, username: &str) -> Result<i64, String> {
    db::users::find_user_by_username(pool, username)
        .await
        .map_err(|e| format!("database error: {e}"))?
        .map(|u| u.id)
        .ok_or_else(|| format!("there is no user {username:?}"))
}

pub async fn user(command: UserCommand) -> Result<(), String> {
    match command {
        UserCommand::Create(args) => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
            let password = input.lines().next().unwrap_or("");
            let email = args
                .email
                .clone()
                .unwrap_or_else(|| format!("{}@users.invalid", args.username));
            let pool = crate::serve::open_database(&args.storage).await?;
            let created = accounts::create_account(&pool, &args.username, &email, password).await;
            pool.close().await;
            let id = created.map_err(account_error)?;
            println!("created user {} (id {id})", args.username);
            Ok(())
        }
        UserCommand::TwoFactorOff(args) => {
            let pool = crate::serve::open_database(&args.storage).await?;
            let user = user_id(&pool, &args.username).await?;
            let was_on = db::two_factor::disable(&pool, user)
                .await
                .map_err(|e| format!("database error: {e}"))?;
            pool.close().await;
            if was_on {
                println!("two-factor sign-in is off for {}", args.username);
            } else {
                println!("two-factor sign-in was not on for {}", args.username);
            }
            Ok(())
        }
    }
}

pub async fn token(command: TokenCommand) -> Result<(), String> {
    match command {
        TokenCommand::Create(args) => {
            let pool = crate::serve::open_database(&args.storage).await?;
            let user = user_id(&pool, &args.username).await?;
            let (id, token) = accounts::issue_token(&pool, user, &args.name)
                .await
                .map_err(account_error)?;
            pool.close().await;
            eprintln!(
                "token {id} ({}) for {}; it is shown only now:",
                args.name, args.username
            );
            println!("{token}");
            Ok(())
        }
        TokenCommand::List(args) => {
            let pool = crate::serve::open_database(&args.storage).await?;
            let user = user_id(&pool, &args.username).await?;
            let tokens = db::tokens::list_tokens(&pool, user)
                .await
                .map_err(|e| format!("database error: {e}"))?;
            pool.close().await;
            for t in tokens {
                println!("{}\t{}\t{}", t.id, t.name, t.created_at);
            }
            Ok(())
        }
        TokenCommand::Revoke(args) => {
            let pool = crate::serve::open_database(&args.storage).await?;
            let user = user_id(&pool, &args.username).await?;
            let revoked = db::tokens::revoke_token(&pool, user, args.id)
                .await
                .map_err(|e| format!("database error: {e}"))?;
            pool.close().await;
            if revoked {
                println!("revoked token {} of {}", args.id, args.username);
                Ok(())
            } else {
                Err(format!("{} has no token {}", args.username, args.id))
            }
        }
    }
}
