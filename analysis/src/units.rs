//! Unit constants. Stride computes in SI units only (metres, seconds, metres per second, beats
//! per minute, as plain `f64`); metric or imperial appears at display (D8).

/// Metres in one statute mile.
pub const METERS_PER_MILE: f64 = 1_609.344;
/// Metres in one foot.
pub const METERS_PER_FOOT: f64 = 0.3048;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marathon_is_26_2_miles() {
        // IAAF marathon distance, 42.195 km = 26.2188 mi; 4:00 /km is 6:26.2 /mi.
        assert_eq!(
            (42_195.0 / METERS_PER_MILE * 10_000.0_f64).round() / 10_000.0,
            26.2188
        );
        assert_eq!(
            (240.0 / 1_000.0 * METERS_PER_MILE * 10.0_f64).round() / 10.0,
            386.2
        );
        assert_eq!(METERS_PER_FOOT * 5_280.0, METERS_PER_MILE);
    }
}
