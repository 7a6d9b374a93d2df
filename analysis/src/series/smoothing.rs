//! Smoothing of sampled series that may have missing samples (`NaN`) and uneven sampling.
//!
//! All three are O(n) single passes with no allocation besides the result:
//!
//! - [`moving_average`]: centred, over a window along any non-decreasing axis (time, distance);
//! - [`exponential`]: exponential smoothing with a time constant, exact for any time step;
//! - [`rolling_mean`]: trailing, weighted by the duration each sample stands for (the 30-second
//!   rolling mean of normalised power and pace).
//!
//! Missing samples are skipped, never treated as zero, and finite input always gives finite
//! output.

/// The centred moving average of `y` over the window `x[i] ± half_width`, each finite sample
/// weighing the same.
///
/// `x` is the axis (seconds, metres) and must be non-decreasing for the result to mean anything
/// (the function never panics otherwise). Samples whose `x` or `y` is not finite are left out of
/// every window; a sample with a non-finite `x` keeps its own value. The result has
/// `min(x.len(), y.len())` entries and is `NaN` only where the window holds no finite `y`.
///
/// ```
/// use analysis::series::smoothing::moving_average;
/// let t = [0.0, 1.0, 2.0, 3.0, 4.0];
/// let y = [1.0, f64::NAN, 3.0, 5.0, 7.0];
/// assert_eq!(moving_average(&t, &y, 1.0), vec![1.0, 2.0, 4.0, 5.0, 6.0]);
/// ```
pub fn moving_average<T: Copy + Into<f64>>(x: &[f64], y: &[T], half_width: f64) -> Vec<f64> {
    let n = x.len().min(y.len());
    let h = if half_width > 0.0 { half_width } else { 0.0 };
    let usable = |k: usize| x[k].is_finite() && y[k].into().is_finite();
    let mut out = Vec::with_capacity(n);
    let (mut lo, mut hi) = (0usize, 0usize);
    let (mut sum, mut count) = (0.0f64, 0usize);
    for i in 0..n {
        let xi = x[i];
        let yi: f64 = y[i].into();
        if !xi.is_finite() {
            out.push(yi);
            continue;
        }
        // Window [lo, hi): take in everything up to xi + h, drop everything before xi - h. A
        // non-finite x compares false both ways, so it is passed over without being counted.
        while hi < n && (x[hi].is_nan() || x[hi] <= xi + h) {
            if usable(hi) {
                sum += y[hi].into();
                count += 1;
            }
            hi += 1;
        }
        while lo < hi && (x[lo].is_nan() || x[lo] < xi - h) {
            if usable(lo) {
                sum -= y[lo].into();
                count -= 1;
            }
            lo += 1;
        }
        out.push(if count > 0 { sum / count as f64 } else { yi });
    }
    out
}

/// Exponential smoothing with time constant `tau_s`: each new sample pulls the state towards
/// itself by `1 − exp(−Δt/τ)`, so the result does not depend on the sampling rate.
///
/// A missing sample (`NaN` value) keeps the state; a non-finite or backward time step does not
/// move it either. The result is `NaN` only before the first finite value. A `tau_s` of zero or
/// less returns the values unchanged.
///
/// ```
/// use analysis::series::smoothing::exponential;
/// let t = [0.0, 10.0, 20.0];
/// let y = [0.0, 100.0, f64::NAN];
/// let s = exponential(&t, &y, 10.0);
/// assert_eq!(s[0], 0.0);
/// assert_eq!((s[1] * 100.0).round() / 100.0, 63.21); // 100 · (1 − e⁻¹)
/// assert_eq!(s[2], s[1]); // a missing sample holds the state
/// ```
pub fn exponential<T: Copy + Into<f64>>(time: &[f64], y: &[T], tau_s: f64) -> Vec<f64> {
    let n = time.len().min(y.len());
    let mut out = Vec::with_capacity(n);
    let mut state = f64::NAN;
    let mut last_t = f64::NAN;
    for i in 0..n {
        let (t, v): (f64, f64) = (time[i], y[i].into());
        if v.is_finite() {
            if !state.is_finite() || tau_s.is_nan() || tau_s <= 0.0 {
                state = v;
            } else {
                let dt = t - last_t;
                if dt > 0.0 {
                    state += (1.0 - (-dt / tau_s).exp()) * (v - state);
                }
            }
        }
        if t.is_finite() && (last_t.is_nan() || t >= last_t) {
            last_t = t;
        }
        out.push(state);
    }
    out
}

/// The trailing mean of `y` over the last `window` of accumulated duration, each sample weighted
/// by the duration it stands for (`durations[i]`, e.g. the seconds since the previous sample, or
/// the timer seconds from [`timer_durations`](super::timer::timer_durations), so that pauses
/// take no room in the window).
///
/// A sample's duration is taken to lie just before it; a window edge that cuts through one
/// counts the part inside. Samples with a non-finite value or a non-positive duration weigh
/// nothing; while less than `window` has accumulated the mean is over what there is. Where
/// nothing has weight yet the sample's own value is returned.
///
/// ```
/// use analysis::series::smoothing::rolling_mean;
/// let y = [4.0, 2.0, 6.0, 8.0];
/// let d = [1.0, 1.0, 1.0, 2.0]; // the last sample stands for 2 s
/// assert_eq!(rolling_mean(&y, &d, 2.0), vec![4.0, 3.0, 4.0, 8.0]);
/// assert_eq!(rolling_mean(&y, &d, 3.0), vec![4.0, 3.0, 4.0, 22.0 / 3.0]);
/// ```
pub fn rolling_mean<T: Copy + Into<f64>>(y: &[T], durations: &[f64], window: f64) -> Vec<f64> {
    let n = y.len().min(durations.len());
    let weighed = |k: usize| -> (f64, f64) {
        let (v, d): (f64, f64) = (y[k].into(), durations[k]);
        if v.is_finite() && d > 0.0 && d.is_finite() {
            (v, d)
        } else {
            (0.0, 0.0)
        }
    };
    if window.is_nan() || window <= 0.0 {
        return (0..n).map(|k| y[k].into()).collect();
    }
    let mut out = Vec::with_capacity(n);
    // The window holds the tail of sample `j` and all of samples j+1..=i (`inner_*`).
    let mut j = 0usize;
    let (mut inner_sum, mut inner_time) = (0.0f64, 0.0f64);
    let (mut tau_i, mut tau_j) = (0.0f64, 0.0f64); // accumulated duration up to i and to j
    for (i, &own) in y.iter().enumerate().take(n) {
        let (v, d) = weighed(i);
        tau_i += d;
        if i == 0 {
            tau_j = d;
        } else {
            inner_sum += v * d;
            inner_time += d;
        }
        let start = tau_i - window;
        while j < i && tau_j <= start {
            j += 1;
            let (vj, dj) = weighed(j);
            inner_sum -= vj * dj;
            inner_time -= dj;
            tau_j += dj;
        }
        let (vj, dj) = weighed(j);
        let part = dj.min(tau_j - start).max(0.0);
        let covered = inner_time + part;
        let own: f64 = own.into();
        out.push(if covered > 1e-9 {
            (inner_sum + vj * part) / covered
        } else {
            own
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_average_handles_uneven_sampling() {
        let t = [0.0, 1.0, 5.0, 6.0, 20.0];
        let y = [2.0f32, 4.0, 10.0, 20.0, 7.0];
        let m = moving_average(&t, &y, 2.0);
        assert_eq!(m, vec![3.0, 3.0, 15.0, 15.0, 7.0]);
    }

    #[test]
    fn moving_average_over_distance_skips_missing_axis_values() {
        let d = [0.0, f64::NAN, 10.0, 20.0];
        let y = [1.0, 100.0, 3.0, 5.0];
        assert_eq!(moving_average(&d, &y, 10.0), vec![2.0, 100.0, 3.0, 4.0]);
    }

    #[test]
    fn exponential_is_independent_of_the_sampling_rate() {
        let coarse_t: Vec<f64> = (0..=10).map(|k| f64::from(k) * 6.0).collect();
        let fine_t: Vec<f64> = (0..=60).map(f64::from).collect();
        let step = |t: &[f64]| -> Vec<f64> {
            t.iter().map(|&x| if x > 0.0 { 1.0 } else { 0.0 }).collect()
        };
        let coarse = exponential(&coarse_t, &step(&coarse_t), 20.0);
        let fine = exponential(&fine_t, &step(&fine_t), 20.0);
        // Both sample a step from 0 to 1 and hold it: the state after 60 s is 1 − e⁻³ either way.
        assert!((coarse[10] - fine[60]).abs() < 1e-12);
        assert!((fine[60] - (1.0 - (-3.0f64).exp())).abs() < 1e-12);
    }

    #[test]
    fn rolling_mean_at_1_hz_is_the_mean_of_the_last_window_samples() {
        let y: Vec<f64> = (0..100).map(|k| f64::from(k % 7)).collect();
        let d = vec![1.0; 100];
        let r = rolling_mean(&y, &d, 30.0);
        for i in 29..100 {
            let expect: f64 = y[i - 29..=i].iter().sum::<f64>() / 30.0;
            assert!((r[i] - expect).abs() < 1e-9, "{i}: {} vs {expect}", r[i]);
        }
        let partial: f64 = y[..10].iter().sum::<f64>() / 10.0;
        assert!((r[9] - partial).abs() < 1e-9);
    }

    #[test]
    fn rolling_mean_ignores_paused_and_missing_samples() {
        let y = [5.0, 5.0, 100.0, f64::NAN, 5.0];
        let d = [1.0, 1.0, 0.0, 1.0, 1.0]; // the 100 closes a pause; the NaN is missing
        assert_eq!(rolling_mean(&y, &d, 10.0), vec![5.0, 5.0, 5.0, 5.0, 5.0]);
    }
}
