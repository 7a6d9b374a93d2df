use analysis::RunSummary;
use serde::{Deserialize, Serialize};

/// A run kept on the server, as its owner's browser lists it for sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedRun {
    /// The server's id of the run.
    pub id: String,
    /// SHA-256 of the original: the id of the same run in a browser's library.
    pub sha256: String,
    /// The file's name, when a browser synced it.
    pub name: Option<String>,
    /// `fit`, `gpx` or `tcx`.
    pub format: String,
    pub size_bytes: i64,
    /// RFC 3339 UTC.
    pub start_time: Option<String>,
    /// Unix seconds, UTC.
    pub uploaded_at: i64,
    /// The public link, when the run has one.
    pub share: Option<ShareLink>,
}

/// A run's public link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLink {
    /// `/shared/<token>`.
    pub path: String,
    /// Metres of the route hidden at each end.
    pub hide_m: i64,
}

/// What the server answers to an original uploaded by the browser's sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncUpload {
    pub id: String,
    pub sha256: String,
    /// False when the account had these bytes already.
    pub created: bool,
}

/// A public run, holding exactly what its page shows: a few figures, the sport, the day, and
/// the route, whose ends the server has already cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedRun {
    /// The sport's key (`running`).
    pub sport: String,
    /// The local date the run started (`2024-05-01`, at the watch's UTC offset when the file
    /// gives it), if known. No time of day, no name: the run's name is its original file's,
    /// which a public page must not give away (device serial numbers, the runner's own words).
    pub date: Option<String>,
    /// The figures the page shows, by metric id ([`SharedRun::SHOWN`]); nothing else of the
    /// run's summary (no heart-rate histogram, rMSSD, resting HR, HRV, sleep, warnings, file
    /// name or load basis) leaves the server.
    pub metrics: std::collections::BTreeMap<String, f64>,
    /// The visible parts of the route, each a list of `[latitude, longitude]` (degrees). A route
    /// that passes near its start or end again is cut there too, so there may be several.
    pub route: Vec<Vec<[f64; 2]>>,
    /// Metres hidden at each end.
    pub hidden_m: i64,
}

impl SharedRun {
    /// The metrics a public page shows: the run page's summary tiles.
    pub const SHOWN: &'static [&'static str] = &[
        "distance_m",
        "timer_s",
        "elapsed_s",
        "moving_s",
        "avg_speed_mps",
        "avg_hr",
        "max_hr",
        "avg_cadence_spm",
        "ascent_m",
        "descent_m",
        "trimp",
        "calories_kcal",
    ];

    /// The public view of a run: what [`SharedRun::SHOWN`] names of `summary`, its sport and
    /// local date, and the route as cut.
    pub fn public(summary: &RunSummary, route: Vec<Vec<[f64; 2]>>, hidden_m: i64) -> Self {
        let date = summary
            .start_time
            .as_deref()
            .and_then(analysis::time::parse_rfc3339)
            .and_then(|t| analysis::time::format_rfc3339(t + summary.utc_offset_s.unwrap_or(0.0)))
            .and_then(|t| t.get(..10).map(str::to_owned));
        Self {
            sport: summary.sport.clone(),
            date,
            metrics: Self::SHOWN
                .iter()
                .filter_map(|id| Some(((*id).to_owned(), *summary.metrics.get(*id)?)))
                .collect(),
            route,
            hidden_m,
        }
    }
}

/// The most a runner may hide at each end of a shared route, in hundreds of metres.
pub const MAX_HIDE_HUNDREDS: u32 = 20;

/// An SVG path (`M x y L x y …` per part) of a route in a `width` x `height` box, north up,
/// with an equirectangular projection at the route's mean latitude; `None` without points.
pub fn route_path(route: &[Vec<[f64; 2]>], width: f64, height: f64) -> Option<String> {
    let points = route.iter().flatten();
    let (mut lat_min, mut lat_max, mut lon_min, mut lon_max) =
        (90.0f64, -90.0f64, 180.0f64, -180.0f64);
    let mut n = 0usize;
    for [lat, lon] in points.clone() {
        lat_min = lat_min.min(*lat);
        lat_max = lat_max.max(*lat);
        lon_min = lon_min.min(*lon);
        lon_max = lon_max.max(*lon);
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let k = ((lat_min + lat_max) / 2.0).to_radians().cos().max(0.01);
    let span_x = ((lon_max - lon_min) * k).max(1e-9);
    let span_y = (lat_max - lat_min).max(1e-9);
    let scale = (width / span_x).min(height / span_y);
    let (off_x, off_y) = (
        (width - span_x * scale) / 2.0,
        (height - span_y * scale) / 2.0,
    );
    let mut d = String::new();
    for part in route.iter().filter(|p| !p.is_empty()) {
        for (i, [lat, lon]) in part.iter().enumerate() {
            let x = off_x + (lon - lon_min) * k * scale;
            let y = off_y + (lat_max - lat) * scale;
            d.push_str(&format!("{}{x:.1} {y:.1} ", if i == 0 { "M" } else { "L" }));
        }
    }
    Some(d.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_fills_its_box_north_up() {
        // A square 0.01 degrees wide on the equator: 600 x 400 box, so it is 400 x 400, centred.
        let route = vec![
            vec![[0.0, 0.0], [0.01, 0.0], [0.01, 0.01]],
            vec![[0.0, 0.01]],
        ];
        assert_eq!(
            route_path(&route, 600.0, 400.0).unwrap(),
            "M100.0 400.0 L100.0 0.0 L500.0 0.0 M500.0 400.0"
        );
        assert_eq!(route_path(&[], 600.0, 400.0), None);
        assert_eq!(route_path(&[vec![]], 600.0, 400.0), None);
    }
}
