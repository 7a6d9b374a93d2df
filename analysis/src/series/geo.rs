//! Distances between WGS84 positions and a local metric frame: GPX distances, GPS quality and
//! the Kalman filter all measure with the same ellipsoid.
//!
//! [`distance`] works on the WGS84 ellipsoid rather than a sphere: a sphere of any radius is
//! wrong by up to 0.5 % somewhere (the Earth's radius of curvature runs from 6 335 km north–south
//! at the equator to 6 400 km at the poles), which is a whole 50 m over a 10 km run.
//!
//! - Between nearby points (under about 50 km apart, i.e. every pair of consecutive GPS
//!   samples), it projects onto the plane tangent at the mean latitude, with the ellipsoid's
//!   meridional radius `M` and prime-vertical radius `N` there: `dy = M·Δφ`, `dx = N·cos φ·Δλ`,
//!   `d = √(dx² + dy²)`. This is the first-order term of the geodesic's series; the error is of
//!   order `d³/R²`, under a millimetre for points 10 km apart.
//! - Farther apart, it uses Andoyer–Lambert's formula: the central angle between the reduced
//!   latitudes on the sphere, corrected to first order in the flattening. Good to a few metres
//!   over thousands of kilometres (7 m on the 10 002 km from the equator to a pole).
//!
//! [`haversine`] is the spherical great circle on the mean Earth radius, for comparison with
//! other tools. [`equirectangular_m`] and the crate's step meter are the tangent-plane formula
//! for consecutive track points, and [`LocalFrame`] projects positions to metres east and north
//! of an origin with the ellipsoid's radii there (where the Kalman filter works).

/// WGS84 semi-major axis, metres.
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// The IUGG mean Earth radius `(2a + b) / 3`, metres, used by [`haversine`].
pub const MEAN_EARTH_RADIUS: f64 = 6_371_008.8;

/// Points closer than this in both latitude and longitude (degrees) use the tangent plane.
const PLANE_LIMIT_DEGREES: f64 = 0.5;

/// The distance in metres between two positions in degrees (WGS84), along the ellipsoid.
///
/// `NaN` if any coordinate is `NaN`. Longitudes may be given in any range (-180..180, 0..360).
///
/// ```
/// use analysis::series::geo::distance;
/// // One degree of longitude along the equator is a·π/180.
/// assert_eq!(distance(0.0, 0.0, 0.0, 1.0).round(), 111_319.0);
/// // One degree of latitude north of the equator: the WGS84 meridian arc, 110 574.4 m.
/// assert_eq!((distance(0.0, 0.0, 1.0, 0.0) * 10.0).round() / 10.0, 110_574.4);
/// ```
pub fn distance(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let dlat = lat2 - lat1;
    let dlon = wrap_degrees(lon2 - lon1);
    if dlat.abs() < PLANE_LIMIT_DEGREES && dlon.abs() < PLANE_LIMIT_DEGREES {
        tangent_plane(lat1, dlat, dlon)
    } else {
        andoyer_lambert(lat1, lon1, lat2, lon2)
    }
}

/// The great-circle distance in metres on a sphere of radius [`MEAN_EARTH_RADIUS`].
///
/// ```
/// use analysis::series::geo::haversine;
/// // A quarter of a great circle.
/// let quarter = haversine(0.0, 0.0, 90.0, 0.0);
/// assert_eq!(quarter.round(), (std::f64::consts::FRAC_PI_2 * 6_371_008.8).round());
/// ```
pub fn haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    MEAN_EARTH_RADIUS
        * central_angle(
            lat1.to_radians(),
            lat2.to_radians(),
            wrap_degrees(lon2 - lon1).to_radians(),
        )
}

/// The cumulative distance along a track, in metres, one value per position.
///
/// The track starts at 0. Rows whose position is missing (`NaN`) keep the distance reached so
/// far, and the next known position is measured from the last known one. A row listed in
/// `breaks` starts a new segment (after a pause): the distance from the previous position to it
/// is not counted. The result never decreases.
///
/// ```
/// use analysis::series::geo::cumulative_distance;
/// let lat = [0.0, 0.0, f64::NAN, 0.0, 0.0];
/// let lon = [0.0, 0.001, 0.5, 0.002, 0.01];
/// let d = cumulative_distance(&lat, &lon, &[4]);
/// assert_eq!(d.iter().map(|m| m.round()).collect::<Vec<_>>(), [0.0, 111.0, 111.0, 223.0, 223.0]);
/// ```
pub fn cumulative_distance(latitude: &[f64], longitude: &[f64], breaks: &[usize]) -> Vec<f64> {
    let n = latitude.len().min(longitude.len());
    let mut out = Vec::with_capacity(n);
    let mut total = 0.0;
    let mut last: Option<(f64, f64)> = None;
    let mut breaks = breaks.iter().copied().peekable();
    for i in 0..n {
        while breaks.next_if(|&b| b <= i).is_some_and(|b| b == i) {
            last = None;
        }
        let (lat, lon) = (latitude[i], longitude[i]);
        if lat.is_finite() && lon.is_finite() {
            if let Some((lat0, lon0)) = last {
                let d = distance(lat0, lon0, lat, lon);
                if d.is_finite() {
                    total += d;
                }
            }
            last = Some((lat, lon));
        }
        out.push(total);
    }
    out
}

/// `degrees` brought into -180..=180.
fn wrap_degrees(degrees: f64) -> f64 {
    if (-180.0..=180.0).contains(&degrees) {
        degrees
    } else {
        (degrees + 180.0).rem_euclid(360.0) - 180.0
    }
}

/// The tangent-plane distance at the mean latitude, with the ellipsoid's radii of curvature.
fn tangent_plane(lat1: f64, dlat: f64, dlon: f64) -> f64 {
    let phi = (lat1 + dlat / 2.0).to_radians();
    let (m, n) = radii(phi);
    let cos = phi.cos();
    let dy = m * dlat.to_radians();
    let dx = n * cos * dlon.to_radians();
    dx.hypot(dy)
}

/// The central angle, in radians, between two points on a sphere (haversine form).
fn central_angle(phi1: f64, phi2: f64, dlambda: f64) -> f64 {
    let s = ((phi2 - phi1) / 2.0).sin().powi(2)
        + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
    2.0 * s.sqrt().min(1.0).asin()
}

/// Andoyer–Lambert: the spherical distance between reduced latitudes, corrected to first order
/// in the flattening.
fn andoyer_lambert(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let reduced = |lat: f64| ((1.0 - WGS84_F) * lat.to_radians().tan()).atan();
    let (b1, b2) = (reduced(lat1), reduced(lat2));
    let sigma = central_angle(b1, b2, wrap_degrees(lon2 - lon1).to_radians());
    if sigma == 0.0 {
        return 0.0;
    }
    let p = (b1 + b2) / 2.0;
    let q = (b2 - b1) / 2.0;
    let (sin_half, cos_half) = (sigma / 2.0).sin_cos();
    let x = if cos_half == 0.0 {
        0.0
    } else {
        (sigma - sigma.sin()) * (p.sin() * q.cos()).powi(2) / cos_half.powi(2)
    };
    let y = (sigma + sigma.sin()) * (p.cos() * q.sin()).powi(2) / sin_half.powi(2);
    WGS84_A * (sigma - WGS84_F / 2.0 * (x + y))
}

/// The ellipsoid's radii of curvature at latitude `phi` (radians): meridional `M` and prime
/// vertical `N`, metres.
fn radii(phi: f64) -> (f64, f64) {
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let sin = phi.sin();
    let w2 = 1.0 - e2 * sin * sin;
    let w = w2.sqrt();
    (WGS84_A * (1.0 - e2) / (w2 * w), WGS84_A / w)
}

/// The distance in metres between two nearby positions (degrees) on the plane tangent at their
/// mean latitude: [`distance`] without its long-distance branch. For consecutive track points.
///
/// ```
/// use analysis::series::geo::{distance, equirectangular_m};
/// let (a, b) = ((47.3769, 8.5417), (47.3779, 8.5430)); // about 148 m apart in Zürich
/// let d = equirectangular_m(a.0, a.1, b.0, b.1);
/// assert!((d - distance(a.0, a.1, b.0, b.1)).abs() < 1e-9);
/// ```
pub fn equirectangular_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    tangent_plane(lat1, lat2 - lat1, wrap_degrees(lon2 - lon1))
}

/// Whether a latitude/longitude pair is a usable position: finite, in range, and not the
/// (0, 0) "null island" that some devices write when they have no fix.
pub fn is_valid_position(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && lat.abs() <= 90.0
        && lon.abs() <= 180.0
        && !(lat == 0.0 && lon == 0.0)
}

/// A projection around an origin: `x` metres east, `y` metres north, with the ellipsoid's radii
/// of curvature at the origin.
///
/// The scale is exact at the origin's latitude; east-west distances drift by about
/// `tan(latitude) · Δlatitude` (0.9 % after 0.5° at 45°), so measure long tracks with
/// [`distance`] on positions projected back with [`LocalFrame::to_lat_lon`], which inverts
/// [`LocalFrame::to_xy`] (to rounding).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalFrame {
    lat0: f64,
    lon0: f64,
    /// Metres per degree of longitude at the origin.
    kx: f64,
    /// Metres per degree of latitude at the origin.
    ky: f64,
}

impl LocalFrame {
    /// A frame with its origin at `lat0`, `lon0` (degrees).
    pub fn new(lat0: f64, lon0: f64) -> Self {
        let phi = lat0.to_radians();
        let (m, n) = radii(phi);
        let per_degree = std::f64::consts::PI / 180.0;
        // At a pole every longitude is the same point; keep the scale finite.
        let kx = (n * phi.cos() * per_degree).max(1e-9);
        Self {
            lat0,
            lon0,
            kx,
            ky: m * per_degree,
        }
    }

    /// Metres east and north of the origin.
    ///
    /// ```
    /// use analysis::series::geo::LocalFrame;
    /// let frame = LocalFrame::new(45.0, 7.0);
    /// let (x, y) = frame.to_xy(45.001, 7.001);
    /// assert_eq!((x.round(), y.round()), (79.0, 111.0));
    /// let (lat, lon) = frame.to_lat_lon(x, y);
    /// assert!((lat - 45.001).abs() < 1e-12 && (lon - 7.001).abs() < 1e-12);
    /// ```
    pub fn to_xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        ((lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky)
    }

    /// The position (degrees) of a point `x` metres east and `y` metres north of the origin.
    pub fn to_lat_lon(&self, x: f64, y: f64) -> (f64, f64) {
        (self.lat0 + y / self.ky, self.lon0 + x / self.kx)
    }
}

/// The length in metres of a track, summing [`equirectangular_m`] over consecutive valid
/// positions ([`is_valid_position`]); invalid points are skipped, not bridged to zero.
///
/// ```
/// use analysis::series::geo::path_length_m;
/// let lat = [0.0, 0.001, f64::NAN, 0.002];
/// let lon = [0.001, 0.001, 0.0, 0.001];
/// assert_eq!(path_length_m(&lat, &lon).round(), 221.0);
/// ```
pub fn path_length_m(lat: &[f64], lon: &[f64]) -> f64 {
    let mut meter = StepMeter::default();
    let mut total = 0.0;
    let mut last: Option<(f64, f64)> = None;
    for (&la, &lo) in lat.iter().zip(lon) {
        if !is_valid_position(la, lo) {
            continue;
        }
        if let Some((pla, plo)) = last {
            total += meter.step_m(pla, plo, la, lo);
        }
        last = Some((la, lo));
    }
    total
}

/// [`equirectangular_m`] for many consecutive steps without trigonometry per step: the radii
/// of curvature and the cosine of the mean latitude are taken at a reference latitude, the
/// cosine corrected to second order, and the reference moved whenever the track strays more
/// than 0.0001 rad (640 m) from it, so the relative error stays below 10⁻⁶.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StepMeter {
    /// Reference latitude (rad), its cosine and sine, and the radii there; `cos_ref == 0`
    /// means unset.
    lat_ref: f64,
    cos_ref: f64,
    sin_ref: f64,
    m: f64,
    n: f64,
}

impl StepMeter {
    /// The distance in metres between two nearby positions in degrees.
    pub(crate) fn step_m(&mut self, lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
        let mean = ((lat1 + lat2) * 0.5).to_radians();
        if self.cos_ref == 0.0 || (mean - self.lat_ref).abs() > 1e-4 {
            self.lat_ref = mean;
            (self.sin_ref, self.cos_ref) = mean.sin_cos();
            if self.cos_ref == 0.0 {
                self.cos_ref = f64::MIN_POSITIVE; // at a pole
            }
            (self.m, self.n) = radii(mean);
        }
        let d = mean - self.lat_ref;
        let cos = self.cos_ref * (1.0 - 0.5 * d * d) - self.sin_ref * d;
        let dy = self.m * (lat2 - lat1).to_radians();
        let dx = self.n * wrap_degrees(lon2 - lon1).to_radians() * cos;
        (dx * dx + dy * dy).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tangent_plane_matches_the_geodesic_for_track_steps() {
        for &(lat, dlat, dlon) in &[(0.0, 1e-4, 1e-4), (60.0, -3e-4, 5e-4), (-33.9, 2e-3, -1e-3)] {
            let g = distance(lat, 10.0, lat + dlat, 10.0 + dlon);
            let e = equirectangular_m(lat, 10.0, lat + dlat, 10.0 + dlon);
            assert!((g - e).abs() < 1e-6, "{lat}: {g} vs {e}");
        }
    }

    #[test]
    fn the_step_meter_matches_the_tangent_plane() {
        let mut meter = StepMeter::default();
        let mut lat = 44.0;
        for k in 0..2000 {
            // 2000 steps of about 100 m north-east, 1.3° of latitude in all.
            let (la, lo) = (lat + 0.00065, 7.0 + f64::from(k + 1) * 0.0009);
            let e = equirectangular_m(lat, 7.0 + f64::from(k) * 0.0009, la, lo);
            let m = meter.step_m(lat, 7.0 + f64::from(k) * 0.0009, la, lo);
            assert!((e - m).abs() / e < 1e-6, "{k}: {e} vs {m}");
            lat = la;
        }
    }

    #[test]
    fn the_local_frame_measures_like_the_geodesic_near_its_origin() {
        let frame = LocalFrame::new(51.0, -1.0);
        let (x, y) = frame.to_xy(51.003, -0.996);
        let d = distance(51.0, -1.0, 51.003, -0.996);
        assert!((x.hypot(y) - d).abs() / d < 1e-4, "{} vs {d}", x.hypot(y));
    }

    #[test]
    fn null_island_and_out_of_range_are_invalid() {
        assert!(!is_valid_position(0.0, 0.0));
        assert!(!is_valid_position(91.0, 0.0));
        assert!(!is_valid_position(f64::NAN, 1.0));
        assert!(is_valid_position(0.0, 1e-6));
    }

    #[test]
    fn known_geodesic_lengths() {
        // WGS84 quarter meridian, equator to pole: 10 001 965.729 m (Karney's GeographicLib).
        let quadrant = distance(0.0, 0.0, 90.0, 0.0);
        assert!((quadrant - 10_001_965.729).abs() < 10.0, "{quadrant}");
        // A quarter of the equator is exactly a·π/2.
        let equator = distance(0.0, 0.0, 0.0, 90.0);
        assert!(
            (equator - WGS84_A * std::f64::consts::FRAC_PI_2).abs() < 1e-6,
            "{equator}"
        );
        // One degree of meridian at 45°N, 111 132.0 m, and at the equator, 110 574.4 m: the
        // tangent plane gets both to the decimetre.
        assert_eq!(distance(44.5, 7.0, 45.5, 7.0).round(), 111_132.0);
        assert_eq!(distance(-0.5, 7.0, 0.5, 7.0).round(), 110_574.0);
        // GPS-sample-sized steps, against GeographicLib 2.0's `Geodesic.WGS84.Inverse`:
        // 78.8468 m and 139.2027 m.
        assert_eq!((distance(45.0, 7.0, 45.0, 7.001) * 1e4).round(), 788_468.0);
        assert_eq!(
            (distance(41.163, -74.179, 41.164, -74.178) * 1e4).round(),
            1_392_027.0
        );
    }

    #[test]
    fn the_two_methods_agree_where_they_meet() {
        // Just inside and just outside the tangent-plane limit, and at a high latitude.
        for (lat, dlat, dlon) in [(45.0, 0.49, 0.49), (45.0, 0.51, 0.0), (70.0, 0.0, 0.49)] {
            let plane = tangent_plane(lat, dlat, dlon);
            let al = andoyer_lambert(lat, 0.0, lat + dlat, dlon);
            assert!(
                (plane - al).abs() < 1.0,
                "{lat} {dlat} {dlon}: {plane} vs {al}"
            );
        }
    }

    #[test]
    fn symmetric_wrapped_and_nan_aware() {
        let a = distance(41.163, -74.179, 41.164, -74.178);
        let b = distance(41.164, -74.178, 41.163, -74.179);
        assert!((a - b).abs() < 1e-9);
        assert!((distance(0.0, 179.9995, 0.0, -179.9995) - 111.319).abs() < 0.01);
        assert_eq!(distance(10.0, 20.0, 10.0, 20.0), 0.0);
        assert!(distance(f64::NAN, 0.0, 0.0, 0.0).is_nan());
        // The sphere is off by a few tenths of a percent, depending on direction: 0.56 % too
        // long north–south at the equator.
        let north = haversine(0.0, 0.0, 1.0, 0.0) / distance(0.0, 0.0, 1.0, 0.0);
        assert!((north - 1.0056).abs() < 1e-4, "{north}");
    }

    #[test]
    fn cumulative_distance_skips_gaps_and_breaks() {
        let lat = [45.0, 45.0, 45.0, 45.0];
        let lon = [7.0, 7.001, 7.002, 7.003];
        let step = distance(45.0, 7.0, 45.0, 7.001);
        let d = cumulative_distance(&lat, &lon, &[]);
        assert_eq!(d[0], 0.0);
        assert!((d[3] - 3.0 * step).abs() < 1e-6);
        let d = cumulative_distance(&lat, &lon, &[2]);
        assert!((d[3] - 2.0 * step).abs() < 1e-6);
        assert_eq!(d[1], d[2]);
        assert!(cumulative_distance(&[], &[], &[0]).is_empty());
    }
}
