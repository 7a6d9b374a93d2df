//! Who may do what: the one authorisation function every handler calls before it reads or
//! changes an account's data, so that the rules can be read (and reviewed) here, in one place.
//!
//! The rules today: a runner may do anything with their own runs and account; nobody else may
//! see that they exist (another user's run answers exactly as a missing one does, 404); a
//! request without a user is asked to sign in (401); a public link is readable by anyone. The
//! coach relationship (issue 19) adds its permissions here, as more arms of [`authorize`].

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// No session and no token.
    Anonymous,
    /// A signed-in user (by session cookie or personal access token).
    User(i64),
}

impl Actor {
    /// The user of a session or token, if any.
    pub fn of(user: Option<i64>) -> Self {
        user.map_or(Self::Anonymous, Self::User)
    }

    /// The user, if signed in.
    pub fn user(self) -> Option<i64> {
        match self {
            Self::Anonymous => None,
            Self::User(id) => Some(id),
        }
    }
}

/// What they ask to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// List runs, or read one run's summary.
    ViewRuns,
    /// Download a run's original file.
    DownloadOriginal,
    /// Upload runs to, or delete runs from, the account.
    ChangeRuns,
    /// Make a run public, change or revoke its link.
    Share,
    /// Export everything the account keeps.
    Export,
    /// Read a public link's page.
    ViewPublicLink,
}

/// What it is done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// The runs of an account (or one of them): `owner` is the account, `None` when the run
    /// does not exist.
    Runs { owner: Option<i64> },
    /// A public link (the token was found).
    PublicLink,
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// No user: 401, sign in (or send a token) first.
    #[error("sign in required")]
    SignInRequired,
    /// Not there, or not the actor's to see: 404 either way, so ids reveal nothing.
    #[error("not found")]
    NotFound,
}

/// Whether `actor` may do `action` to `resource`.
///
/// ```
/// use app::server::access::{authorize, Action, Actor, Denied, Resource};
/// let ada = Actor::User(1);
/// let runs_of_ada = Resource::Runs { owner: Some(1) };
/// assert_eq!(authorize(ada, Action::DownloadOriginal, runs_of_ada), Ok(()));
/// assert_eq!(authorize(Actor::User(2), Action::ViewRuns, runs_of_ada), Err(Denied::NotFound));
/// assert_eq!(authorize(Actor::Anonymous, Action::ViewRuns, runs_of_ada), Err(Denied::SignInRequired));
/// assert_eq!(authorize(Actor::Anonymous, Action::ViewPublicLink, Resource::PublicLink), Ok(()));
/// ```
pub fn authorize(actor: Actor, action: Action, resource: Resource) -> Result<(), Denied> {
    match (actor, action, resource) {
        // A public link is public: that is what it is for.
        (_, Action::ViewPublicLink, Resource::PublicLink) => Ok(()),
        (Actor::Anonymous, _, _) => Err(Denied::SignInRequired),
        // An account's own runs: everything.
        (Actor::User(user), _, Resource::Runs { owner: Some(owner) }) if user == owner => Ok(()),
        // Anything else (someone else's run, a run that does not exist, a mismatched pair) is
        // answered as missing.
        (Actor::User(_), _, _) => Err(Denied::NotFound),
    }
}

/// [`authorize`] for an action on runs whose owner is `owner` (`None`: no such run); answers
/// the account whose runs the action then reads or changes.
pub fn authorize_runs(actor: Actor, action: Action, owner: Option<i64>) -> Result<i64, Denied> {
    authorize(actor, action, Resource::Runs { owner })?;
    owner.ok_or(Denied::NotFound)
}

/// [`authorize_runs`] for the run `id`: its owner is looked up first, so that the rules decide,
/// not a `WHERE user_id` hidden in a query.
pub async fn authorize_run(
    pool: &super::db::Pool,
    actor: Actor,
    action: Action,
    id: &str,
) -> Result<i64, AccessError> {
    let owner = super::db::activities::owner_of(pool, id).await?;
    Ok(authorize_runs(actor, action, owner)?)
}

/// A refusal, or the database failing while the owner was looked up.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [Action; 6] = [
        Action::ViewRuns,
        Action::DownloadOriginal,
        Action::ChangeRuns,
        Action::Share,
        Action::Export,
        Action::ViewPublicLink,
    ];

    #[test]
    fn the_whole_matrix() {
        let (ada, grace) = (Actor::User(1), Actor::User(2));
        let runs_of_ada = Resource::Runs { owner: Some(1) };
        let missing = Resource::Runs { owner: None };
        for action in ACTIONS {
            let owner = authorize(ada, action, runs_of_ada);
            let other = authorize(grace, action, runs_of_ada);
            let anonymous = authorize(Actor::Anonymous, action, runs_of_ada);
            assert_eq!(owner, Ok(()), "{action:?}");
            assert_eq!(other, Err(Denied::NotFound), "{action:?}");
            assert_eq!(anonymous, Err(Denied::SignInRequired), "{action:?}");
            // A run that does not exist reads as someone else's: 404.
            assert_eq!(authorize(ada, action, missing), Err(Denied::NotFound));
        }
        for actor in [ada, grace, Actor::Anonymous] {
            assert_eq!(
                authorize(actor, Action::ViewPublicLink, Resource::PublicLink),
                Ok(())
            );
        }
        assert_eq!(
            authorize(ada, Action::Share, Resource::PublicLink),
            Err(Denied::NotFound)
        );
    }
}
