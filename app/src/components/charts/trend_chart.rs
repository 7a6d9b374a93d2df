use std::sync::Arc;

use leptos::html::Canvas;
use leptos::prelude::*;

use super::pmc_chart::day_text;
use super::{CHART_HEIGHT, CHART_WIDTH, PlotArea};

/// What a trend chart draws: values by day as dots, a rolling line, a band around it, a
/// horizontal reference. Days are days since 1970-01-01.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrendData {
    /// The measured values (a run's estimate, a night's value), as dots.
    pub points: Vec<(i32, f64)>,
    /// A rolling value, as a line.
    pub line: Vec<(i32, f64)>,
    /// A band (low, high) by day, shaded.
    pub band: Vec<(i32, f64, f64)>,
    /// A horizontal reference line, with its name.
    pub reference: Option<(f64, &'static str)>,
    /// Decimals shown in the readout.
    pub decimals: usize,
    /// The unit shown in the readout.
    pub unit: &'static str,
}

impl TrendData {
    /// The first and last day drawn, at least one day apart; `None` with nothing to draw.
    pub fn days(&self) -> Option<(i32, i32)> {
        let days = self
            .points
            .iter()
            .map(|p| p.0)
            .chain(self.line.iter().map(|p| p.0))
            .chain(self.band.iter().map(|p| p.0));
        let (lo, hi) = days.fold((i32::MAX, i32::MIN), |(a, b), d| (a.min(d), b.max(d)));
        (lo <= hi).then(|| (lo, hi.max(lo.saturating_add(1))))
    }

    /// The value range drawn, padded; `None` with nothing to draw.
    pub fn values(&self) -> Option<(f64, f64)> {
        let all = self
            .points
            .iter()
            .map(|p| p.1)
            .chain(self.line.iter().map(|p| p.1))
            .chain(self.band.iter().flat_map(|b| [b.1, b.2]))
            .chain(self.reference.map(|r| r.0))
            .filter(|v| v.is_finite());
        let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        if lo > hi {
            return None;
        }
        let pad = ((hi - lo) * 0.1).max(0.05 * hi.abs()).max(0.1);
        Some((lo - pad, hi + pad))
    }

    /// The index of the dot nearest to `day`.
    pub fn nearest(&self, day: f64) -> Option<usize> {
        self.points
            .iter()
            .enumerate()
            .min_by(|a, b| {
                (f64::from(a.1.0) - day)
                    .abs()
                    .total_cmp(&(f64::from(b.1.0) - day).abs())
            })
            .map(|(i, _)| i)
    }
}

/// A value over days (VO2max, HRV, resting heart rate) with a hover readout of the dot nearest
/// the pointer: `data-day`, `data-value`, and the line's and band's values that day
/// (`data-line`, `data-low`, `data-high`) when drawn.
#[component]
pub fn TrendChart(
    /// `data-chart` of the figure.
    id: &'static str,
    /// The canvas' accessible name.
    label: &'static str,
    /// The legend: (colour as CSS, name) per element.
    legend: Vec<(&'static str, &'static str)>,
    data: Arc<TrendData>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let area = RwSignal::new(None::<PlotArea>);
    let hover = RwSignal::new(None::<usize>);
    let stored = StoredValue::new(data);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(canvas) = canvas.get() {
            area.set(stored.with_value(|d| super::draw::trend_chart(canvas, d)));
        }
    });

    let on_move = move |ev: leptos::ev::MouseEvent| {
        let Some(day) = area.get_untracked().and_then(|a| a.x_under(&ev)) else {
            return;
        };
        hover.set(stored.with_value(|d| d.nearest(day)));
    };
    let point = move || {
        hover
            .get()
            .and_then(|i| stored.with_value(|d| d.points.get(i).copied()))
    };
    let on_day = move |day: i32| {
        stored.with_value(|d| {
            (
                d.line.iter().find(|p| p.0 == day).map(|p| p.1),
                d.band.iter().find(|p| p.0 == day).map(|p| (p.1, p.2)),
            )
        })
    };
    let text = move || {
        let (day, v) = point()?;
        let (line, band) = on_day(day);
        let (dec, unit) = stored.with_value(|d| (d.decimals, d.unit));
        let mut s = format!("{}: {v:.dec$} {unit}", day_text(day));
        if let Some(l) = line {
            s.push_str(&format!(", rolling {l:.dec$}"));
        }
        if let Some((lo, hi)) = band {
            s.push_str(&format!(", band {lo:.dec$}–{hi:.dec$}"));
        }
        Some(s)
    };
    let cursor_left = move || {
        let (p, a) = (point()?, area.get()?);
        Some(format!(
            "{:.3}%",
            a.px_of_x(f64::from(p.0)) / f64::from(CHART_WIDTH) * 100.0
        ))
    };
    let legend = legend
        .into_iter()
        .map(|(colour, name)| {
            view! {
                <span class="chart__swatch" style=format!("background: {colour}")></span>
                {format!("{name} ")}
            }
        })
        .collect_view();
    view! {
        <figure class="chart trend-chart" data-chart=id>
            <figcaption class="chart__title">
                {legend}
                <span
                    class="chart__readout trend-chart__readout"
                    data-day=move || point().map(|p| day_text(p.0))
                    data-value=move || point().map(|p| p.1.to_string())
                    data-line=move || point().and_then(|p| on_day(p.0).0).map(|v| v.to_string())
                    data-low=move || point().and_then(|p| on_day(p.0).1).map(|b| b.0.to_string())
                    data-high=move || point().and_then(|p| on_day(p.0).1).map(|b| b.1.to_string())
                >
                    {text}
                </span>
            </figcaption>
            <div class="chart__plot">
                <canvas
                    node_ref=canvas
                    width=CHART_WIDTH
                    height=CHART_HEIGHT
                    aria-label=label
                    on:mousemove=on_move
                    on:mouseleave=move |_| hover.set(None)
                ></canvas>
                <div class="chart__cursor" hidden=move || cursor_left().is_none() style:left=cursor_left></div>
            </div>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_nearest_dot() {
        let d = TrendData {
            points: vec![(100, 50.0), (110, 52.0), (130, 49.0)],
            line: vec![(100, 50.0), (130, 50.5)],
            reference: Some((55.0, "Uth")),
            ..TrendData::default()
        };
        assert_eq!(d.days(), Some((100, 130)));
        let (lo, hi) = d.values().unwrap();
        assert!(lo < 49.0 && hi > 55.0);
        assert_eq!(d.nearest(104.0), Some(0));
        assert_eq!(d.nearest(106.0), Some(1));
        assert_eq!(d.nearest(1_000.0), Some(2));
        assert_eq!(TrendData::default().days(), None);
        assert_eq!(TrendData::default().nearest(3.0), None);
        // One day: widened to two.
        let one = TrendData {
            points: vec![(7, 1.0)],
            ..TrendData::default()
        };
        assert_eq!(one.days(), Some((7, 8)));
    }
}
