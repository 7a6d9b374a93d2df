//! Drawing with plotters on a `<canvas>` (plotters-canvas). Each function draws once and returns
//! where the plotting area landed, which the component keeps to map the pointer to the data.

use analysis::ChartData;
use analysis::chart::Axis;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

use super::route_map::ramp;
use super::{ChartKind, MapColour, PlotArea};
use crate::format::{self, UnitSystem};

/// The colours a chart is drawn in, light or dark as the page's theme (the system's).
#[derive(Debug, Clone, Copy)]
struct Palette {
    background: RGBColor,
    map_background: RGBColor,
    grid: RGBColor,
    axis_text: RGBColor,
    raw_track: RGBColor,
}

const LIGHT: Palette = Palette {
    background: RGBColor(255, 255, 255),
    map_background: RGBColor(248, 250, 252),
    grid: RGBColor(229, 231, 235),
    axis_text: RGBColor(75, 85, 99),
    raw_track: RGBColor(190, 190, 190),
};

/// The dark theme's surfaces (`--surface`, `--surface-2`, `--border`, `--text-muted`).
const DARK: Palette = Palette {
    background: RGBColor(22, 32, 28),
    map_background: RGBColor(29, 41, 36),
    grid: RGBColor(44, 58, 52),
    axis_text: RGBColor(159, 176, 168),
    raw_track: RGBColor(90, 100, 96),
};

/// The palette of the page's theme: dark when the system prefers it.
fn palette() -> Palette {
    let dark = leptos::prelude::window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    if dark { DARK } else { LIGHT }
}

/// Draws one chart; `None` when the run lacks the channel or the canvas has no 2D context.
pub fn line_chart(
    canvas: HtmlCanvasElement,
    data: &ChartData,
    kind: ChartKind,
    axis: Axis,
    units: UnitSystem,
) -> Option<PlotArea> {
    let (main, second) = kind.series();
    let main = data.series(main)?;
    let xs = data.xs(axis);
    let x_max = xs.last().copied().filter(|x| *x > 0.0)?;
    // Pace: the spread of speeds without the few slowest and fastest points.
    let (lo, hi) = if kind == ChartKind::Pace {
        main.extent(0.02, 0.995)?
    } else {
        main.extent(0.0, 1.0)?
    };
    let (mut y0, mut y1) = {
        let (a, b) = (kind.plotted(lo, units), kind.plotted(hi, units));
        (a.min(b), a.max(b))
    };
    let pad = ((y1 - y0) * 0.08).max(1.0);
    y0 -= pad;
    y1 += pad;

    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    root.fill(&palette().background).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(8)
        .margin_right(12)
        .x_label_area_size(26)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..x_max / x_scale(axis, units), y0..y1)
        .ok()?;
    // The x axis is laid out in the unit it reads in (km or mi, minutes), so that its ticks
    // fall on round values of that unit (1, 2, 5 km; 10, 20 min), not of metres or seconds.
    let x_label = |x: &f64| x_tick_label(*x, axis, units);
    let y_label = |y: &f64| kind.y_label(*y);
    mesh(&mut chart, (8, &x_label), (4, Some(&y_label)))?;
    let scale = x_scale(axis, units);

    let (r, g, b) = kind.colour();
    let strong = RGBColor(r, g, b);
    let light = RGBColor(r, g, b).mix(0.35);
    let mut draw = |values: &[Option<f64>], style: ShapeStyle| {
        let points = xs
            .iter()
            .zip(values)
            .map(|(x, v)| v.map(|v| (*x / scale, kind.plotted(v, units).clamp(y0, y1))));
        stretches(&mut chart, points, style)
    };
    if let Some(second) = second.and_then(|id| data.series(id)) {
        draw(&second.values, light.stroke_width(2))?;
    }
    draw(&main.values, strong.stroke_width(2))?;

    let (px, py) = chart.plotting_area().get_pixel_range();
    root.present().ok()?;
    Some(area(px, py, (0.0, x_max), (y0, y1)))
}

/// How many of the data's x units (metres, seconds) one unit of the axis holds: a kilometre or
/// a mile, a minute.
pub fn x_scale(axis: Axis, units: UnitSystem) -> f64 {
    match axis {
        Axis::Distance => units.meters_per_unit(),
        Axis::Time => 60.0,
    }
}

/// A tick of the x axis, given in the axis's unit: `2 km`, `2.5 mi`, `0:10:00` → `10:00`.
pub fn x_tick_label(x: f64, axis: Axis, units: UnitSystem) -> String {
    match axis {
        Axis::Distance => {
            let text = format!("{x:.2}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            format!("{text} {}", units.distance_unit())
        }
        Axis::Time => format::duration(x * 60.0),
    }
}

/// Draws the route with equal scales on both axes; `None` without a route.
pub fn route_map(canvas: HtmlCanvasElement, data: &ChartData, by: MapColour) -> Option<PlotArea> {
    let route = data.route.as_ref()?;
    let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
    let points = |xs: &[Option<f64>], ys: &[Option<f64>]| -> Vec<Option<(f64, f64)>> {
        xs.iter()
            .zip(ys)
            .map(|(x, y)| Some(((*x)?, (*y)?)))
            .collect()
    };
    let repaired = points(&route.x_m, &route.y_m);
    let raw = points(&route.raw_x_m, &route.raw_y_m);
    let all = || repaired.iter().chain(&raw).flatten();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in all() {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if x0 > x1 {
        return None;
    }
    // Equal metres per pixel along both axes, centred, with a margin.
    let span = ((x1 - x0) / w).max((y1 - y0) / h).max(1e-3) * 1.1;
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let (x0, x1) = (cx - span * w / 2.0, cx + span * w / 2.0);
    let (y0, y1) = (cy - span * h / 2.0, cy + span * h / 2.0);

    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    root.fill(&palette().map_background).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .build_cartesian_2d(x0..x1, y0..y1)
        .ok()?;

    let segments = |track: &[Option<(f64, f64)>]| -> Vec<Vec<(f64, f64)>> {
        let mut out = vec![Vec::new()];
        for p in track {
            match p {
                Some(p) => out.last_mut().expect("never empty").push(*p),
                None => out.push(Vec::new()),
            }
        }
        out.retain(|s| s.len() > 1);
        out
    };
    for stretch in segments(&raw) {
        chart
            .draw_series(LineSeries::new(
                stretch,
                palette().raw_track.stroke_width(2),
            ))
            .ok()?;
    }

    let values = data.series(by.series()).map(|s| &s.values);
    let (lo, hi) = data
        .series(by.series())
        .and_then(|s| s.extent(0.05, 0.95))
        .unwrap_or((0.0, 1.0));
    let t = |v: Option<f64>| match v {
        Some(v) if hi > lo => (v - lo) / (hi - lo),
        _ => 0.5,
    };
    let coloured = repaired.windows(2).enumerate().filter_map(|(i, w)| {
        let (a, b) = (w[0]?, w[1]?);
        let v = values.and_then(|v| v.get(i + 1).copied().flatten());
        let (r, g, bl) = ramp(t(v));
        Some(PathElement::new(
            vec![a, b],
            RGBColor(r, g, bl).stroke_width(4),
        ))
    });
    chart.draw_series(coloured).ok()?;
    chart
        .draw_series(
            route
                .rejected
                .iter()
                .map(|&p| Circle::new(p, 3, RGBColor(220, 38, 38).filled())),
        )
        .ok()?;

    let (px, py) = chart.plotting_area().get_pixel_range();
    root.present().ok()?;
    Some(area(px, py, (x0, x1), (y0, y1)))
}

/// Draws fitness, fatigue and form by day; `None` without points.
pub fn pmc_chart(
    canvas: HtmlCanvasElement,
    points: &[analysis::models::PmcPoint],
) -> Option<PlotArea> {
    let (first, last) = (points.first()?.day, points.last()?.day);
    let x = |d: i32| f64::from(d);
    let (x0, x1) = (x(first), x(last).max(x(first) + 1.0));
    let hi = points.iter().map(|p| p.ctl.max(p.atl)).fold(10.0, f64::max) * 1.1;
    let lo = points.iter().map(|p| p.tsb).fold(0.0, f64::min) * 1.1 - 1.0;
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    root.fill(&palette().background).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(8)
        .margin_right(12)
        .x_label_area_size(26)
        .y_label_area_size(48)
        .build_cartesian_2d(x0..x1, lo..hi)
        .ok()?;
    mesh(&mut chart, (6, &day_label), (5, None))?;
    let line = |f: fn(&analysis::models::PmcPoint) -> f64| {
        points
            .iter()
            .map(move |p| (x(p.day), f(p)))
            .collect::<Vec<_>>()
    };
    chart
        .draw_series(LineSeries::new(
            line(|p| p.tsb),
            RGBColor(22, 163, 74).stroke_width(2),
        ))
        .ok()?;
    chart
        .draw_series(LineSeries::new(
            line(|p| p.atl),
            RGBColor(219, 39, 119).stroke_width(2),
        ))
        .ok()?;
    chart
        .draw_series(LineSeries::new(
            line(|p| p.ctl),
            RGBColor(37, 99, 235).stroke_width(3),
        ))
        .ok()?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    root.present().ok()?;
    Some(area(px, py, (x0, x1), (lo, hi)))
}

/// Draws a trend: the band shaded, the rolling line, the dots, the reference dashed; `None`
/// with nothing to draw.
pub fn trend_chart(canvas: HtmlCanvasElement, data: &super::TrendData) -> Option<PlotArea> {
    let (first, last) = data.days()?;
    let (lo, hi) = data.values()?;
    let (x0, x1) = (f64::from(first) - 0.5, f64::from(last) + 0.5);
    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    root.fill(&palette().background).ok()?;
    let mut chart = ChartBuilder::on(&root)
        .margin_top(8)
        .margin_right(12)
        .x_label_area_size(26)
        .y_label_area_size(48)
        .build_cartesian_2d(x0..x1, lo..hi)
        .ok()?;
    let decimals = data.decimals;
    let value = |v: &f64| format!("{v:.decimals$}");
    mesh(&mut chart, (6, &day_label), (4, Some(&value)))?;
    let band = RGBColor(37, 99, 235);
    if !data.band.is_empty() {
        // The band as a polygon: the top edge forward, the bottom edge back.
        let mut outline: Vec<(f64, f64)> = data
            .band
            .iter()
            .map(|&(d, _, h)| (f64::from(d), h))
            .collect();
        outline.extend(data.band.iter().rev().map(|&(d, l, _)| (f64::from(d), l)));
        chart
            .draw_series(std::iter::once(Polygon::new(
                outline,
                band.mix(0.15).filled(),
            )))
            .ok()?;
    }
    if let Some((r, _)) = data.reference {
        chart
            .draw_series(DashedLineSeries::new(
                [(x0, r), (x1, r)],
                6,
                4,
                RGBColor(234, 88, 12).stroke_width(2),
            ))
            .ok()?;
    }
    if data.line.len() > 1 {
        chart
            .draw_series(LineSeries::new(
                data.line.iter().map(|&(d, v)| (f64::from(d), v)),
                band.stroke_width(2),
            ))
            .ok()?;
    }
    chart
        .draw_series(
            data.points
                .iter()
                .map(|&(d, v)| Circle::new((f64::from(d), v), 4, RGBColor(17, 24, 39).filled())),
        )
        .ok()?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    root.present().ok()?;
    Some(area(px, py, (x0, x1), (lo, hi)))
}

/// Draws the last ten minutes of the Watch page: heart rate above, speed (km/h or mph) below;
/// blank panels before any value. `None` without a 2D context.
pub fn live_chart(
    canvas: HtmlCanvasElement,
    h: &crate::models::LiveHistory,
    units: UnitSystem,
) -> Option<()> {
    use super::live_chart::{HEART_RATE_RGB, SPEED_RGB};

    let root = CanvasBackend::with_canvas_object(canvas)?.into_drawing_area();
    root.fill(&palette().background).ok()?;
    let (top, bottom) = root.split_vertically(root.dim_in_pixel().1 / 2);
    let now = h.last().map_or(0.0, |s| s.time);
    let per_hour = 3_600.0 / units.meters_per_unit();
    let speed_unit = if units.distance_unit() == "mi" {
        "mph"
    } else {
        "km/h"
    };
    let heart_rate = LivePanel {
        channel: |s| s.heart_rate,
        scale: 1.0,
        rgb: HEART_RATE_RGB,
        unit: "bpm",
        min_span: 10.0,
    };
    let speed = LivePanel {
        channel: |s| s.speed_mps,
        scale: per_hour,
        rgb: SPEED_RGB,
        unit: speed_unit,
        min_span: 1.0,
    };
    heart_rate.draw(&top, h, now)?;
    speed.draw(&bottom, h, now)?;
    root.present().ok()
}

/// One channel of the live chart.
struct LivePanel<'u> {
    channel: fn(&crate::models::watch::LiveSample) -> Option<f64>,
    /// From SI units to the plotted ones.
    scale: f64,
    rgb: (u8, u8, u8),
    unit: &'u str,
    /// The smallest y span shown.
    min_span: f64,
}

impl LivePanel<'_> {
    fn draw(
        &self,
        area: &DrawingArea<CanvasBackend, plotters::coord::Shift>,
        h: &crate::models::LiveHistory,
        now: f64,
    ) -> Option<()> {
        use crate::models::watch::LIVE_WINDOW_S;

        let (lo, hi) = h
            .extent(self.channel)
            .map_or((0.0, self.min_span), |(lo, hi)| {
                (lo * self.scale, hi * self.scale)
            });
        let pad = ((hi - lo) * 0.1).max(self.min_span / 2.0);
        let (y0, y1) = ((lo - pad).max(0.0), hi + pad);
        let mut chart = ChartBuilder::on(area)
            .margin_top(8)
            .margin_right(12)
            .x_label_area_size(22)
            .y_label_area_size(64)
            .build_cartesian_2d(-LIVE_WINDOW_S..0.0, y0..y1)
            .ok()?;
        let x_label = |x: &f64| format!("−{}", format::duration(-x));
        let y_label = |y: &f64| format!("{y:.0} {}", self.unit);
        mesh(&mut chart, (6, &x_label), (3, Some(&y_label)))?;
        let (r, g, b) = self.rgb;
        let points = h.samples().map(|s| {
            (self.channel)(s)
                .filter(|v| v.is_finite())
                .map(|v| (s.time - now, v * self.scale))
        });
        stretches(&mut chart, points, RGBColor(r, g, b).stroke_width(2))
    }
}

/// A chart with f64 on both axes, as every chart here has.
type F64Chart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A label formatter.
type Label<'f> = &'f dyn Fn(&f64) -> String;

/// The grid, axes and labels every chart shares: how many labels along x and y, and how they
/// read (y with plotters' own numbers when `None`).
fn mesh(
    chart: &mut F64Chart<'_>,
    (x_labels, x_label): (usize, Label<'_>),
    (y_labels, y_label): (usize, Option<Label<'_>>),
) -> Option<()> {
    let p = palette();
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(p.background)
        .bold_line_style(p.grid)
        .axis_style(p.grid)
        .label_style(("sans-serif", 13).into_font().color(&p.axis_text))
        .x_labels(x_labels)
        .y_labels(y_labels)
        .x_label_formatter(x_label);
    if let Some(y_label) = y_label {
        mesh.y_label_formatter(y_label);
    }
    mesh.draw().ok()
}

/// A day number (days since 1970-01-01) as `YYYY-MM-DD`.
fn day_label(v: &f64) -> String {
    let (y, m, d) = analysis::time::civil_from_days(v.round() as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Draws `points` as one line per stretch of known values, so that gaps stay gaps.
fn stretches(
    chart: &mut F64Chart<'_>,
    points: impl IntoIterator<Item = Option<(f64, f64)>>,
    style: ShapeStyle,
) -> Option<()> {
    let mut stretch: Vec<(f64, f64)> = Vec::new();
    for p in points {
        match p {
            Some(p) => stretch.push(p),
            None if !stretch.is_empty() => {
                chart
                    .draw_series(LineSeries::new(stretch.drain(..), style))
                    .ok()?;
            }
            None => {}
        }
    }
    if !stretch.is_empty() {
        chart.draw_series(LineSeries::new(stretch, style)).ok()?;
    }
    Some(())
}

/// Where a plotting area landed (pixel ranges) and the data it shows.
fn area(
    px: std::ops::Range<i32>,
    py: std::ops::Range<i32>,
    (x_min, x_max): (f64, f64),
    (y_min, y_max): (f64, f64),
) -> PlotArea {
    PlotArea {
        left: f64::from(px.start),
        right: f64::from(px.end),
        top: f64::from(py.start),
        bottom: f64::from(py.end),
        x_min,
        x_max,
        y_min,
        y_max,
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use plotters::coord::ranged1d::Ranged;
    use wasm_bindgen_test::*;

    use super::*;

    /// The x values plotters puts ticks at for a run of `x_max` (metres or seconds).
    fn ticks(x_max: f64, axis: Axis, units: UnitSystem) -> Vec<String> {
        let range: RangedCoordf64 = (0.0..x_max / x_scale(axis, units)).into();
        range
            .key_points(8)
            .into_iter()
            .map(|x| x_tick_label(x, axis, units))
            .collect()
    }

    #[wasm_bindgen_test]
    fn ticks_fall_on_round_values_of_the_unit_shown() {
        // 10.63 km: whole kilometres, and whole miles (not 3.1, 6.2, 9.3 of a metre scale).
        assert_eq!(
            ticks(10_630.0, Axis::Distance, UnitSystem::Metric),
            ["0 km", "2 km", "4 km", "6 km", "8 km", "10 km"]
        );
        assert_eq!(
            ticks(10_630.0, Axis::Distance, UnitSystem::Imperial),
            ["0 mi", "1 mi", "2 mi", "3 mi", "4 mi", "5 mi", "6 mi"]
        );
        // 51:37 of timer time: every 10 minutes.
        assert_eq!(
            ticks(3_097.0, Axis::Time, UnitSystem::Metric),
            ["0:00", "10:00", "20:00", "30:00", "40:00", "50:00"]
        );
    }
}
