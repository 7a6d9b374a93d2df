//! Distances on the Earth and a local metric frame.
//!
//! Two ways to measure, both on a sphere of the mean Earth radius: [`haversine_m`], exact on the
//! sphere at any distance, and [`equirectangular_m`], a flat approximation that is within a few
//! millimetres of it for the metre-to-kilometre steps between consecutive GPS points and needs no
//! inverse trigonometry. [`LocalFrame`] projects positions to metres east and north of an origin,
//! which is where the Kalman filter works.

/// The mean Earth radius (IUGG), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The great-circle distance in metres between two positions given in degrees.
///
/// ```
/// use analysis::series::geo::haversine_m;
/// // London (51.5074 N, 0.1278 W) to Paris (48.8566 N, 2.3522 E): about 343.6 km.
/// let d = haversine_m(51.5074, -0.1278, 48.8566, 2.3522);
/// assert_eq!((d / 100.0).round() / 10.0, 343.6);
/// ```
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp * 0.5).sin().powi(2) + p1.cos() * p2.cos() * (dl * 0.5).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// The distance in metres between two nearby positions (degrees), treating the sphere as flat at
/// their mean latitude. Use it for consecutive track points; use [`haversine_m`] beyond a few
/// kilometres.
///
/// ```
/// use analysis::series::geo::{equirectangular_m, haversine_m};
/// let (a, b) = ((47.3769, 8.5417), (47.3779, 8.5430)); // about 148 m apart in Zürich
/// let d = equirectangular_m(a.0, a.1, b.0, b.1);
/// assert!((d - haversine_m(a.0, a.1, b.0, b.1)).abs() < 0.01);
/// ```
pub fn equirectangular_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let mean = ((lat1 + lat2) * 0.5).to_radians();
    let dy = (lat2 - lat1).to_radians();
    let dx = (lon2 - lon1).to_radians() * mean.cos();
    EARTH_RADIUS_M * dx.hypot(dy)
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

/// An equirectangular projection around an origin: `x` metres east, `y` metres north.
///
/// The scale is exact at the origin's latitude; east-west distances drift by about
/// `tan(latitude) · Δlatitude` (0.9 % after 0.5° at 45°), so measure long tracks with
/// [`haversine_m`] or [`equirectangular_m`] on positions projected back with
/// [`LocalFrame::to_lat_lon`], which inverts [`LocalFrame::to_xy`] (to rounding).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalFrame {
    lat0: f64,
    lon0: f64,
    /// Metres per degree of longitude at the origin.
    kx: f64,
    /// Metres per degree of latitude.
    ky: f64,
    /// Their inverses.
    inv_kx: f64,
    inv_ky: f64,
}

impl LocalFrame {
    /// A frame with its origin at `lat0`, `lon0` (degrees).
    pub fn new(lat0: f64, lon0: f64) -> Self {
        let ky = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        // At a pole every longitude is the same point; keep the scale finite.
        let kx = (ky * lat0.to_radians().cos()).max(1e-9);
        Self {
            lat0,
            lon0,
            kx,
            ky,
            inv_kx: 1.0 / kx,
            inv_ky: 1.0 / ky,
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
        (self.lat0 + y * self.inv_ky, self.lon0 + x * self.inv_kx)
    }
}

/// The length in metres of a track, summing [`equirectangular_m`] over consecutive valid
/// positions ([`is_valid_position`]); invalid points are skipped, not bridged to zero.
///
/// ```
/// use analysis::series::geo::path_length_m;
/// let lat = [0.0, 0.001, f64::NAN, 0.002];
/// let lon = [0.001, 0.001, 0.0, 0.001];
/// assert_eq!(path_length_m(&lat, &lon).round(), 222.0);
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

/// [`equirectangular_m`] for many consecutive steps without a cosine per step: the cosine of
/// the mean latitude comes from its second-order expansion around a reference latitude, moved
/// whenever the track strays more than 0.01 rad (64 km) from it, so its relative error stays
/// below 2·10⁻⁷ · tan(latitude).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StepMeter {
    /// Reference latitude (rad), its cosine and sine; `cos_ref == 0` means unset.
    lat_ref: f64,
    cos_ref: f64,
    sin_ref: f64,
}

impl StepMeter {
    /// The distance in metres between two nearby positions in degrees.
    pub(crate) fn step_m(&mut self, lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
        let mean = ((lat1 + lat2) * 0.5).to_radians();
        if self.cos_ref == 0.0 || (mean - self.lat_ref).abs() > 0.01 {
            self.lat_ref = mean;
            (self.sin_ref, self.cos_ref) = mean.sin_cos();
            if self.cos_ref == 0.0 {
                self.cos_ref = f64::MIN_POSITIVE; // at a pole
            }
        }
        let d = mean - self.lat_ref;
        let cos = self.cos_ref * (1.0 - 0.5 * d * d) - self.sin_ref * d;
        let dy = (lat2 - lat1).to_radians();
        let dx = (lon2 - lon1).to_radians() * cos;
        EARTH_RADIUS_M * (dx * dx + dy * dy).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_111_2_km() {
        // 2π · 6,371,008.8 m / 360 = 111,195 m.
        assert_eq!(haversine_m(0.0, 0.0, 1.0, 0.0).round(), 111_195.0);
        assert_eq!(equirectangular_m(0.0, 0.0, 1.0, 0.0).round(), 111_195.0);
    }

    #[test]
    fn the_flat_approximation_matches_haversine_for_track_steps() {
        for &(lat, dlat, dlon) in &[(0.0, 1e-4, 1e-4), (60.0, -3e-4, 5e-4), (-33.9, 2e-3, -1e-3)] {
            let h = haversine_m(lat, 10.0, lat + dlat, 10.0 + dlon);
            let e = equirectangular_m(lat, 10.0, lat + dlat, 10.0 + dlon);
            assert!((h - e).abs() < 1e-3, "{lat}: {h} vs {e}");
        }
    }

    #[test]
    fn the_step_meter_matches_the_flat_approximation() {
        let mut meter = StepMeter::default();
        let mut lat = 44.0;
        for k in 0..2000 {
            // 2000 steps of about 100 m north-east, 1.3° of latitude in all.
            let (la, lo) = (lat + 0.00065, 7.0 + f64::from(k + 1) * 0.0009);
            let e = equirectangular_m(lat, 7.0 + f64::from(k) * 0.0009, la, lo);
            let m = meter.step_m(lat, 7.0 + f64::from(k) * 0.0009, la, lo);
            assert!((e - m).abs() < 1e-4, "{k}: {e} vs {m}");
            lat = la;
        }
    }

    #[test]
    fn null_island_and_out_of_range_are_invalid() {
        assert!(!is_valid_position(0.0, 0.0));
        assert!(!is_valid_position(91.0, 0.0));
        assert!(!is_valid_position(f64::NAN, 1.0));
        assert!(is_valid_position(0.0, 1e-6));
    }
}
