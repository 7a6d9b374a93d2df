//! Distances between WGS84 positions, for files that carry positions but no distance (GPX).
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
//! other tools.

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
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let phi = (lat1 + dlat / 2.0).to_radians();
    let (sin, cos) = phi.sin_cos();
    let w2 = 1.0 - e2 * sin * sin;
    let w = w2.sqrt();
    let n = WGS84_A / w;
    let m = WGS84_A * (1.0 - e2) / (w2 * w);
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

#[cfg(test)]
mod tests {
    use super::*;

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
