//! Public links to runs. A run is private until its owner makes a link (a 256-bit random
//! token); the link's page shows the server's summary and the route with its ends cut here,
//! on the server, so the hidden part never leaves it. Revoking deletes the link: its page is 404
//! again, as it is for any token that never existed.

use analysis::series::geo::haversine;
use analysis::{Activity, RunSummary};

use super::Originals;
use super::credentials::random_secret;
use super::db::{self, Pool, ShareRow};
use crate::models::SharedRun;
use crate::models::sync::MAX_HIDE_HUNDREDS;

/// The most points a shared route keeps (more adds bytes, not detail, at page size).
pub const MAX_ROUTE_POINTS: usize = 2000;

/// Why a public page could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SharingError {
    #[error("not found")]
    NotFound,
    #[error("hide at most {MAX_HIDE_HUNDREDS} hundred metres")]
    HideTooLong,
    #[error("cannot read the original: {0}")]
    Storage(#[from] object_store::Error),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Makes the user's run public (or changes how much it hides); `NotFound` when it is not theirs.
/// The route is cut now, once, and kept with the link.
pub async fn share(
    pool: &Pool,
    originals: &Originals,
    user_id: i64,
    activity_id: &str,
    hide_hundreds: u32,
) -> Result<ShareRow, SharingError> {
    if hide_hundreds > MAX_HIDE_HUNDREDS {
        return Err(SharingError::HideTooLong);
    }
    let share = db::shares::share_activity(
        pool,
        user_id,
        activity_id,
        &random_secret(),
        i64::from(hide_hundreds) * 100,
        db::now(),
    )
    .await?
    .ok_or(SharingError::NotFound)?;
    route_of_link(pool, originals, &share).await?;
    Ok(share)
}

/// The cut route of a link: the one kept with it, else cut from the original now (a link made
/// before routes were kept, or whose kept route went with a change) and kept.
async fn route_of_link(
    pool: &Pool,
    originals: &Originals,
    share: &ShareRow,
) -> Result<Vec<Vec<[f64; 2]>>, SharingError> {
    if let Some(kept) = db::shares::route_of(pool, &share.activity_id, share.hide_m).await? {
        match serde_json::from_str(&kept) {
            Ok(route) => return Ok(route),
            Err(e) => tracing::error!(id = %share.activity_id, "a kept route does not read: {e}"),
        }
    }
    let row = db::activities::find_activity(pool, share.user_id, &share.activity_id)
        .await?
        .ok_or(SharingError::NotFound)?;
    let Some(bytes) = originals.get(&row.sha256).await? else {
        tracing::error!(sha256 = %row.sha256, "original missing from the store");
        return Err(SharingError::NotFound);
    };
    let hide_m = share.hide_m as f64;
    let route = tokio::task::spawn_blocking(move || match analysis::decode(&bytes) {
        Ok(activity) => visible_route(&activity, hide_m),
        Err(_) => Vec::new(),
    })
    .await
    .unwrap_or_default();
    if let Ok(json) = serde_json::to_string(&route) {
        db::shares::set_route(pool, &share.activity_id, share.hide_m, &json).await?;
    }
    Ok(route)
}

/// The public run behind a link: only what its page shows ([`SharedRun::public`]), with the
/// route as kept with the link; `NotFound` for a token that is not (or no longer) a link.
pub async fn shared_run(
    pool: &Pool,
    originals: &Originals,
    token: &str,
) -> Result<SharedRun, SharingError> {
    // Tokens are 64 hex digits: anything else is not looked up.
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SharingError::NotFound);
    }
    let share = db::shares::share_by_token(pool, token)
        .await?
        .ok_or(SharingError::NotFound)?;
    let row = db::activities::find_activity(pool, share.user_id, &share.activity_id)
        .await?
        .ok_or(SharingError::NotFound)?;
    let summary: RunSummary = serde_json::from_str(&row.summary).unwrap_or_else(|e| {
        tracing::error!(id = %row.id, "stored summary is not a RunSummary: {e}");
        RunSummary::default()
    });
    let route = route_of_link(pool, originals, &share).await?;
    Ok(SharedRun::public(&summary, route, share.hide_m))
}

/// The parts of the route that a link shows: the positions more than `hide_m` metres from the
/// start and from the end along the route, and also as the crow flies from the first and last
/// positions (a loop that passes by home again is cut there too), thinned to at most
/// [`MAX_ROUTE_POINTS`], rounded to 6 decimals (0.1 m).
pub fn visible_route(activity: &Activity, hide_m: f64) -> Vec<Vec<[f64; 2]>> {
    let r = &activity.records;
    let (Some(lat), Some(lon)) = (r.latitude.as_ref(), r.longitude.as_ref()) else {
        return Vec::new();
    };
    let points: Vec<[f64; 2]> = lat
        .iter()
        .zip(lon)
        .filter(|(a, o)| a.is_finite() && o.is_finite() && (**a != 0.0 || **o != 0.0))
        .filter(|(a, o)| a.abs() <= 90.0 && o.abs() <= 180.0)
        .map(|(a, o)| [*a, *o])
        .collect();
    if points.len() < 2 {
        return Vec::new();
    }
    let mut along = Vec::with_capacity(points.len());
    let mut total = 0.0;
    along.push(0.0);
    for w in points.windows(2) {
        total += haversine(w[0][0], w[0][1], w[1][0], w[1][1]);
        along.push(total);
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    let shown = |i: usize| {
        let [a, o] = points[i];
        hide_m <= 0.0
            || (along[i] >= hide_m
                && total - along[i] >= hide_m
                && haversine(first[0], first[1], a, o) >= hide_m
                && haversine(last[0], last[1], a, o) >= hide_m)
    };
    let kept = (0..points.len()).filter(|&i| shown(i)).count();
    let step = kept.div_ceil(MAX_ROUTE_POINTS).max(1);
    let round = |v: f64| (v * 1e6).round() / 1e6;
    let mut parts: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut open = false;
    let mut seen = 0usize;
    for i in 0..points.len() {
        if !shown(i) {
            open = false;
            continue;
        }
        let keep = seen.is_multiple_of(step) || i + 1 == points.len() || !shown(i + 1);
        seen += 1;
        if !keep {
            continue;
        }
        if !open {
            parts.push(Vec::new());
            open = true;
        }
        if let Some(part) = parts.last_mut() {
            part.push([round(points[i][0]), round(points[i][1])]);
        }
    }
    parts.retain(|p| p.len() >= 2);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use analysis::FileFormat;

    /// A straight run north along a meridian, one point every ~11.1 m for 2 km.
    fn northward(points: usize) -> Activity {
        let mut a = Activity::new(FileFormat::Gpx);
        a.records.time = (0..points).map(|i| i as f64).collect();
        a.records.latitude = Some((0..points).map(|i| 45.0 + i as f64 * 0.0001).collect());
        a.records.longitude = Some(vec![7.0; points]);
        a
    }

    #[test]
    fn the_ends_are_cut_along_the_route_and_around_start_and_end() {
        let run = northward(181); // 0.018 degrees: 2001.5 m
        let all = visible_route(&run, 0.0);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].len(), 181);
        assert_eq!(all[0][0], [45.0, 7.0]);

        let cut = visible_route(&run, 300.0);
        assert_eq!(cut.len(), 1);
        let part = &cut[0];
        // 300 m is 26.98 steps of 11.12 m: the first point kept is the 27th; the last, the 153rd.
        assert_eq!(part[0], [45.0027, 7.0]);
        assert_eq!(*part.last().unwrap(), [45.0153, 7.0]);
        for [lat, lon] in part {
            assert!(haversine(45.0, 7.0, *lat, *lon) >= 300.0);
            assert!(haversine(45.018, 7.0, *lat, *lon) >= 300.0);
        }
        // Hiding more than half the route hides it all.
        assert!(visible_route(&run, 1100.0).is_empty());
    }

    #[test]
    fn a_loop_past_home_is_cut_there_too() {
        // Out 1 km north, back to 100 m from the start, out again 1.3 km: the middle pass near
        // the start is hidden as well, leaving two parts.
        let mut lat: Vec<f64> = (0..=90).map(|i| 45.0 + i as f64 * 0.0001).collect();
        lat.extend((0..=81).rev().map(|i| 45.0009 + i as f64 * 0.0001));
        lat.extend((9..=120).map(|i| 45.0 + i as f64 * 0.0001));
        let mut run = northward(lat.len());
        run.records.longitude = Some(vec![7.0; lat.len()]);
        run.records.latitude = Some(lat);
        let parts = visible_route(&run, 200.0);
        assert_eq!(parts.len(), 2, "{parts:?}");
        let [first, last] = [45.0, 45.012];
        for [a, o] in parts.iter().flatten() {
            assert!(haversine(first, 7.0, *a, *o) >= 200.0);
            assert!(haversine(last, 7.0, *a, *o) >= 200.0);
        }
    }

    #[test]
    fn long_routes_are_thinned_and_no_positions_is_no_route() {
        let run = northward(10_000);
        let all = visible_route(&run, 0.0);
        let n: usize = all.iter().map(Vec::len).sum();
        assert!(n <= MAX_ROUTE_POINTS + 1, "{n}");
        assert_eq!(
            *all[0].last().unwrap(),
            [45.9999, 7.0],
            "the end point stays"
        );
        assert!(visible_route(&Activity::new(FileFormat::Fit), 0.0).is_empty());
    }
}
