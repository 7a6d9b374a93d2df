//! A constant-velocity Kalman filter with a Rauch–Tung–Striebel smoother, for GPS tracks in a
//! local metric frame ([`LocalFrame`](crate::series::geo::LocalFrame)).
//!
//! The state along each axis is position and velocity; velocity changes by white-noise
//! acceleration of spectral density `q` (m²/s³), so over a step of `Δt` seconds the process noise
//! is `q · [[Δt³/3, Δt²/2], [Δt²/2, Δt]]`. A fix measures position with standard deviation `σ`
//! per axis. The two axes share their covariances (same steps, same noise), so one 2×2 covariance
//! is propagated for both. Time steps come from the timestamps, so uneven sampling is handled
//! exactly; a sample without a fix (`NaN`) is predicted but not updated, and the smoother then
//! interpolates it. A longer silence than [`ConstantVelocity::max_gap_s`] ends the segment: the
//! filter restarts after it and nothing is drawn across it.
//!
//! The forward pass keeps the filtered state of every sample; the backward (RTS) pass combines it
//! with the smoothed successor, `x̂ₖ = xₖ + Cₖ (x̂ₖ₊₁ − F xₖ)` with `Cₖ = Pₖ Fᵀ (F Pₖ Fᵀ + Q)⁻¹`.
//! Only the smoothed means are computed, not their covariances. O(n) time, a few vectors of n.

use std::cmp::Ordering::{Equal, Greater, Less};

/// The parameters of the constant-velocity model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantVelocity {
    /// Standard deviation of a position fix along each axis, metres.
    pub measurement_sigma_m: f64,
    /// Spectral density of the random acceleration along each axis, m²/s³.
    pub acceleration_psd: f64,
    /// A silence between fixes longer than this, seconds, splits the track into segments.
    pub max_gap_s: f64,
}

impl Default for ConstantVelocity {
    /// Tuned for running with a wrist GPS: σ = 4 m per axis (a typical consumer fix, about 5 m
    /// radial), q = 0.5 m²/s³ (the velocity may drift about 0.7 m/s in a second, enough for
    /// turns and surges), segments split after 60 s without a fix.
    fn default() -> Self {
        Self {
            measurement_sigma_m: 4.0,
            acceleration_psd: 0.5,
            max_gap_s: 60.0,
        }
    }
}

/// A smoothed track: positions (m) and velocities (m/s) along both axes of the frame, one entry
/// per input sample, `NaN` where the sample has no time, lies in a gap, or comes before the first
/// or after the last fix of its segment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SmoothedTrack {
    /// Metres east.
    pub x: Vec<f64>,
    /// Metres north.
    pub y: Vec<f64>,
    /// Velocity east, m/s.
    pub vx: Vec<f64>,
    /// Velocity north, m/s.
    pub vy: Vec<f64>,
}

/// What the forward pass keeps of a sample besides its state: the shared covariance
/// [[a, b], [b, c]] and whether a fix updated it, it starts a segment, it is tracked at all.
#[derive(Debug, Clone, Copy)]
struct Kept {
    cov: [f64; 3],
    flags: u8,
}

const FIX: u8 = 1;
const STARTS: u8 = 2;
const ACTIVE: u8 = 4;

/// Initial velocity variance of a segment, (m/s)²: anything up to about 10 m/s.
const INITIAL_VELOCITY_VARIANCE: f64 = 100.0;

impl ConstantVelocity {
    /// Filters and smooths a track of positions `x`, `y` (metres; `NaN` where there is no fix)
    /// taken at `time` (seconds, non-decreasing). The result has `min` of the three lengths.
    ///
    /// ```
    /// use analysis::series::kalman::ConstantVelocity;
    /// let time: Vec<f64> = (0..60).map(f64::from).collect();
    /// // Running east at 3 m/s, with fixes alternately 3 m north and south of the line.
    /// let x: Vec<f64> = time.iter().map(|t| 3.0 * t).collect();
    /// let y: Vec<f64> = (0..60).map(|k| if k % 2 == 0 { 3.0 } else { -3.0 }).collect();
    /// let track = ConstantVelocity::default().smooth(&time, &x, &y);
    /// assert!(track.y[10..50].iter().all(|y| y.abs() < 1.0));
    /// assert!(track.vx[10..50].iter().all(|v| (v - 3.0).abs() < 0.1));
    /// ```
    pub fn smooth(&self, time: &[f64], x: &[f64], y: &[f64]) -> SmoothedTrack {
        let n = time.len().min(x.len()).min(y.len());
        let r = self.measurement_sigma_m.max(1e-3).powi(2);
        let q = self.acceleration_psd.max(0.0);
        // The forward pass writes the filtered states into the output, and the backward pass
        // replaces them by the smoothed ones in place.
        let mut out = SmoothedTrack {
            x: vec![f64::NAN; n],
            y: vec![f64::NAN; n],
            vx: vec![f64::NAN; n],
            vy: vec![f64::NAN; n],
        };
        let mut kept = vec![
            Kept {
                cov: [0.0; 3],
                flags: 0
            };
            n
        ];

        // Forward: predict to every timed sample, update where there is a fix.
        let mut prev: Option<usize> = None; // the last tracked sample
        let mut last_fix_t = f64::NAN;
        for k in 0..n {
            let t = time[k];
            let fix = x[k].is_finite() && y[k].is_finite();
            if !t.is_finite() {
                continue;
            }
            if !matches!(
                (t - last_fix_t).partial_cmp(&self.max_gap_s),
                Some(Less | Equal)
            ) {
                if !fix {
                    prev = None; // inside a gap (or before the first fix): not tracked
                    continue;
                }
                (out.x[k], out.vx[k], out.y[k], out.vy[k]) = (x[k], 0.0, y[k], 0.0);
                kept[k] = Kept {
                    cov: [r, 0.0, INITIAL_VELOCITY_VARIANCE],
                    flags: FIX | STARTS | ACTIVE,
                };
                prev = Some(k);
                last_fix_t = t;
                continue;
            }
            let Some(p) = prev else { continue };
            let dt = (t - time[p]).max(0.0);
            let [a0, b0, c0] = kept[p].cov;
            let (mut a, mut b, mut c) = predict_cov(a0, b0, c0, dt, q);
            let (mut px, mut vx) = (out.x[p] + out.vx[p] * dt, out.vx[p]);
            let (mut py, mut vy) = (out.y[p] + out.vy[p] * dt, out.vy[p]);
            if fix {
                let sinv = 1.0 / (a + r);
                let (k0, k1) = (a * sinv, b * sinv);
                let (ix, iy) = (x[k] - px, y[k] - py);
                (px, vx) = (px + k0 * ix, vx + k1 * ix);
                (py, vy) = (py + k0 * iy, vy + k1 * iy);
                c -= b * b * sinv;
                a *= r * sinv;
                b *= r * sinv;
                last_fix_t = t;
            }
            (out.x[k], out.vx[k], out.y[k], out.vy[k]) = (px, vx, py, vy);
            kept[k] = Kept {
                cov: [a, b, c],
                flags: ACTIVE | if fix { FIX } else { 0 },
            };
            prev = Some(k);
        }

        // Backward (RTS): from each segment's last fix back to its start.
        let mut next: Option<usize> = None; // the smoothed successor in the segment
        for k in (0..n).rev() {
            let Kept {
                cov: [a, b, c],
                flags,
            } = kept[k];
            if flags & ACTIVE == 0 {
                continue;
            }
            match next {
                None if flags & FIX == 0 => {
                    // After the segment's last fix: nothing to draw.
                    (out.x[k], out.vx[k], out.y[k], out.vy[k]) =
                        (f64::NAN, f64::NAN, f64::NAN, f64::NAN);
                }
                None => next = Some(k),
                Some(j) => {
                    let dt = (time[j] - time[k]).max(0.0);
                    let g = smoother_gain(a, b, c, dt, q);
                    let (dx, dvx) = (
                        out.x[j] - (out.x[k] + out.vx[k] * dt),
                        out.vx[j] - out.vx[k],
                    );
                    let (dy, dvy) = (
                        out.y[j] - (out.y[k] + out.vy[k] * dt),
                        out.vy[j] - out.vy[k],
                    );
                    out.x[k] += g[0] * dx + g[1] * dvx;
                    out.vx[k] += g[2] * dx + g[3] * dvx;
                    out.y[k] += g[0] * dy + g[1] * dvy;
                    out.vy[k] += g[2] * dy + g[3] * dvy;
                    next = Some(k);
                }
            }
            if flags & STARTS != 0 {
                next = None;
            }
        }
        out
    }
}

/// F P Fᵀ + Q for P = [[a, b], [b, c]].
fn predict_cov(a: f64, b: f64, c: f64, dt: f64, q: f64) -> (f64, f64, f64) {
    let dt2 = dt * dt;
    (
        a + 2.0 * b * dt + c * dt2 + q * dt2 * dt / 3.0,
        b + c * dt + q * dt2 / 2.0,
        c + q * dt,
    )
}

/// The RTS gain C = P Fᵀ (F P Fᵀ + Q)⁻¹, row-major; zero if the prediction is singular.
fn smoother_gain(a: f64, b: f64, c: f64, dt: f64, q: f64) -> [f64; 4] {
    let (pa, pb, pc) = predict_cov(a, b, c, dt, q);
    let det = pa * pc - pb * pb;
    if det.partial_cmp(&(1e-12 * (pa * pc).abs().max(1e-300))) != Some(Greater) {
        return [0.0; 4];
    }
    let inv = 1.0 / det;
    // P Fᵀ = [[a + b·dt, b], [b + c·dt, c]]; the prediction's inverse is
    // [[pc, −pb], [−pb, pa]] / det.
    let (m00, m01, m10, m11) = (a + b * dt, b, b + c * dt, c);
    [
        (m00 * pc - m01 * pb) * inv,
        (m01 * pa - m00 * pb) * inv,
        (m10 * pc - m11 * pb) * inv,
        (m11 * pa - m10 * pb) * inv,
    ]
}

/// The white-noise level of a track's fixes, metres per axis: from how far each fix lies off the
/// chord between its two neighbours, for neighbours at most `max_step_s` seconds away (so that
/// the path's own curvature barely counts). For independent errors of σ per axis the offset is
/// Rayleigh-distributed with scale `σ·√(1 + f² + (1 − f)²)`, where `f` is the fix's fraction of
/// the way along the chord; its median is 1.1774 times the scale. `None` with fewer than 20
/// such triples. Slowly wandering errors (a chipset that filters its fixes) are not white and
/// come out small, as they should: smoothing cannot remove them.
///
/// ```
/// use analysis::series::kalman::estimate_sigma;
/// let time: Vec<f64> = (0..200).map(f64::from).collect();
/// let x: Vec<f64> = time.iter().map(|t| 3.0 * t).collect();
/// let y = vec![0.0; 200];
/// assert_eq!(estimate_sigma(&time, &x, &y, 5.0), Some(0.0));
/// assert_eq!(estimate_sigma(&time[..10], &x[..10], &y[..10], 5.0), None);
/// ```
pub fn estimate_sigma(time: &[f64], x: &[f64], y: &[f64], max_step_s: f64) -> Option<f64> {
    const BIN_M: f64 = 0.05;
    let mut bins = [0u32; 400]; // 5-cm bins up to 20 m (the last holds the rest)
    let (mut count, mut a, mut b) = (0u32, None::<usize>, None::<usize>);
    let n = time.len().min(x.len()).min(y.len());
    // A few thousand triples are plenty for a median: on long tracks take every `stride`-th.
    let stride = (n / 4096).max(1);
    for c in 0..n {
        if !(x[c].is_finite() && y[c].is_finite() && time[c].is_finite()) {
            continue;
        }
        if let (Some(pa), Some(pb)) = (a, b)
            && c % stride == 0
        {
            let (dt1, dt2) = (time[pb] - time[pa], time[c] - time[pb]);
            if dt1 > 0.0 && dt2 > 0.0 && dt1 <= max_step_s && dt2 <= max_step_s {
                let f = dt1 / (dt1 + dt2);
                let (cx, cy) = (x[pa] + f * (x[c] - x[pa]), y[pa] + f * (y[c] - y[pa]));
                let off = ((x[pb] - cx).powi(2) + (y[pb] - cy).powi(2)).sqrt();
                let scaled = off / (1.0 + f * f + (1.0 - f) * (1.0 - f)).sqrt();
                bins[((scaled / BIN_M) as usize).min(bins.len() - 1)] += 1;
                count += 1;
            }
        }
        (a, b) = (b, Some(c));
    }
    if count < 20 {
        return None;
    }
    let mut seen = 0u32;
    let bin = bins.iter().position(|&c| {
        seen += c;
        2 * seen > count
    })?;
    Some(bin as f64 * BIN_M / 1.1774)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fixes_inside_a_segment_are_interpolated() {
        let time: Vec<f64> = (0..30).map(f64::from).collect();
        let x: Vec<f64> = time
            .iter()
            .map(|&t| {
                if (10.0..15.0).contains(&t) {
                    f64::NAN
                } else {
                    2.0 * t
                }
            })
            .collect();
        let y = vec![0.0; 30];
        let s = ConstantVelocity::default().smooth(&time, &x, &y);
        for (k, t) in time.iter().enumerate().take(15).skip(10) {
            assert!((s.x[k] - 2.0 * t).abs() < 0.01, "{k}: {}", s.x[k]);
        }
    }

    #[test]
    fn a_long_gap_splits_the_track_and_is_not_drawn_across() {
        let time = [0.0, 1.0, 2.0, 3.0, 100.0, 101.0, 102.0, 200.0];
        let x = [0.0, 1.0, 2.0, f64::NAN, 500.0, 501.0, 502.0, f64::NAN];
        let y = [0.0; 8];
        let s = ConstantVelocity::default().smooth(&time, &x, &y);
        assert!(s.x[3].is_nan(), "after the last fix of the first segment");
        assert!(s.x[7].is_nan(), "after the last fix of the track");
        assert!(
            (s.x[2] - 2.0).abs() < 0.2 && (s.x[4] - 500.0).abs() < 0.2,
            "{:?}",
            s.x
        );
    }

    #[test]
    fn the_noise_estimate_finds_white_noise() {
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        let mut gauss = move || {
            // Box–Muller on a xorshift generator.
            let mut u = || {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                (rng >> 11) as f64 / (1u64 << 53) as f64
            };
            let (u1, u2) = (u().max(1e-12), u());
            (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
        };
        let time: Vec<f64> = (0..3000).map(f64::from).collect();
        let x: Vec<f64> = time.iter().map(|t| 3.5 * t + 4.0 * gauss()).collect();
        let y: Vec<f64> = time.iter().map(|_| 4.0 * gauss()).collect();
        let sigma = estimate_sigma(&time, &x, &y, 5.0).unwrap();
        assert!((sigma - 4.0).abs() < 0.3, "{sigma}");
    }

    #[test]
    fn no_fixes_give_an_all_nan_track() {
        let s = ConstantVelocity::default().smooth(&[0.0, 1.0], &[f64::NAN; 2], &[1.0, 2.0]);
        assert!(s.x.iter().chain(&s.y).all(|v| v.is_nan()));
    }
}
