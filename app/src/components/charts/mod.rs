//! The run page's charts and route map, drawn on `<canvas>` with plotters (plotters-canvas), and
//! the state they share: one hover cursor and one selected range across every chart and the map.

use analysis::chart::Axis;
use leptos::prelude::*;

/// A chart of one channel over distance or time.
pub mod line_chart;
pub use line_chart::{ChartKind, LineChart};

/// The route, coloured by pace or heart rate, with the raw track beneath the repaired one.
pub mod route_map;
pub use route_map::{MapColour, RouteMap};

/// Fitness, fatigue and form over time (the dashboard).
pub mod pmc_chart;
pub use pmc_chart::PmcChart;

/// The Watch page's last ten minutes of heart rate and speed.
pub mod live_chart;
pub use live_chart::LiveChart;

/// A value over days with a rolling line and a band (VO2max, HRV, resting heart rate).
pub mod trend_chart;
pub use trend_chart::{TrendChart, TrendData};

/// The figures of the selected range.
pub mod range_stats;
pub use range_stats::RangeStatsPanel;

/// The drawing itself (browser only).
#[cfg(feature = "hydrate")]
mod draw;

/// Canvas size in pixels of a chart (CSS scales it to the column's width).
pub const CHART_WIDTH: u32 = 960;
/// See [`CHART_WIDTH`].
pub const CHART_HEIGHT: u32 = 180;
/// Canvas size in pixels of the map.
pub const MAP_SIZE: (u32, u32) = (960, 540);

/// What the charts and the map of a page share: the point under the cursor, the selected range
/// of points, and the x axis.
#[derive(Debug, Clone, Copy)]
pub struct ChartCursor {
    /// The point under the pointer on any chart.
    pub hover: RwSignal<Option<usize>>,
    /// The selected range of points (first, last), from a drag across a chart.
    pub selection: RwSignal<Option<(usize, usize)>>,
    /// Where a drag started.
    pub drag_from: RwSignal<Option<usize>>,
    /// Distance or time along x.
    pub axis: RwSignal<Axis>,
    /// Whether the pace chart draws pace smoothed over [`SMOOTHING_S`] seconds.
    pub smooth: RwSignal<bool>,
}

/// The window of the smoothed pace line, seconds of timer time.
pub const SMOOTHING_S: f64 = 30.0;

impl ChartCursor {
    /// Nothing hovered or selected, x by distance.
    pub fn new() -> Self {
        Self {
            hover: RwSignal::new(None),
            selection: RwSignal::new(None),
            drag_from: RwSignal::new(None),
            axis: RwSignal::new(Axis::Distance),
            smooth: RwSignal::new(false),
        }
    }
}

impl Default for ChartCursor {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a chart's plotting area lies on its canvas, in canvas pixels, and the data range it
/// shows: the mapping between the pointer and the data.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PlotArea {
    /// Canvas pixels: left, right, top, bottom of the plotting area.
    pub left: f64,
    /// See `left`.
    pub right: f64,
    /// See `left`.
    pub top: f64,
    /// See `left`.
    pub bottom: f64,
    /// Data range along x.
    pub x_min: f64,
    /// See `x_min`.
    pub x_max: f64,
    /// Data range along y.
    pub y_min: f64,
    /// See `y_min`.
    pub y_max: f64,
}

impl PlotArea {
    /// The data x under the mouse of an event on a chart's canvas (shown at any CSS width;
    /// the canvas is [`CHART_WIDTH`] pixels wide).
    pub fn x_under(&self, ev: &leptos::ev::MouseEvent) -> Option<f64> {
        use leptos::wasm_bindgen::JsCast;
        let target = ev.target()?.dyn_into::<leptos::web_sys::Element>().ok()?;
        // f64 under web_sys_unstable_apis (the browser build), i32 otherwise.
        #[allow(clippy::useless_conversion)]
        let offset_x = f64::from(ev.offset_x());
        let width = f64::from(target.client_width()).max(1.0);
        Some(self.x_at(offset_x * f64::from(CHART_WIDTH) / width))
    }

    /// The data x at canvas pixel `px` (clamped to the plotting area).
    pub fn x_at(&self, px: f64) -> f64 {
        let f = ((px - self.left) / (self.right - self.left)).clamp(0.0, 1.0);
        self.x_min + f * (self.x_max - self.x_min)
    }

    /// The canvas pixel of data `x`.
    pub fn px_of_x(&self, x: f64) -> f64 {
        self.left + (x - self.x_min) / (self.x_max - self.x_min) * (self.right - self.left)
    }

    /// The canvas pixel of data `y` (up is larger).
    pub fn px_of_y(&self, y: f64) -> f64 {
        self.bottom - (y - self.y_min) / (self.y_max - self.y_min) * (self.bottom - self.top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plot_area_maps_both_ways() {
        let area = PlotArea {
            left: 50.0,
            right: 950.0,
            top: 10.0,
            bottom: 160.0,
            x_min: 0.0,
            x_max: 9_000.0,
            y_min: 100.0,
            y_max: 200.0,
        };
        assert_eq!(area.x_at(50.0), 0.0);
        assert_eq!(area.x_at(500.0), 4_500.0);
        assert_eq!(area.x_at(2_000.0), 9_000.0);
        assert_eq!(area.px_of_x(4_500.0), 500.0);
        assert_eq!(area.px_of_y(200.0), 10.0);
        assert_eq!(area.px_of_y(150.0), 85.0);
    }
}
