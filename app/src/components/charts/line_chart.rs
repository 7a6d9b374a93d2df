use std::sync::Arc;

use analysis::ChartData;
use analysis::units::METERS_PER_FOOT;
use leptos::html::Canvas;
use leptos::prelude::*;

use super::{CHART_HEIGHT, CHART_WIDTH, ChartCursor, PlotArea};
use crate::format::{self, UnitSystem};
#[cfg(feature = "hydrate")]
use crate::providers::use_units;

/// The charts of the run page, each over one channel (pace also draws grade-adjusted pace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Pace and GAP, faster up.
    Pace,
    /// Heart rate, bpm.
    HeartRate,
    /// Elevation, m or ft.
    Elevation,
    /// Cadence, steps per minute.
    Cadence,
    /// Power, W.
    Power,
}

impl ChartKind {
    /// Every chart, in page order.
    pub const ALL: [Self; 5] = [
        Self::Pace,
        Self::HeartRate,
        Self::Elevation,
        Self::Cadence,
        Self::Power,
    ];

    /// The `data-chart` id.
    pub fn id(self) -> &'static str {
        match self {
            Self::Pace => "pace",
            Self::HeartRate => "heart_rate",
            Self::Elevation => "elevation",
            Self::Cadence => "cadence",
            Self::Power => "power",
        }
    }

    /// The chart's title.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pace => "Pace and grade-adjusted pace",
            Self::HeartRate => "Heart rate",
            Self::Elevation => "Elevation",
            Self::Cadence => "Cadence",
            Self::Power => "Power",
        }
    }

    /// The chart data series it draws: the main one, and a second one drawn lighter.
    pub fn series(self) -> (&'static str, Option<&'static str>) {
        match self {
            Self::Pace => ("speed_mps", Some("gap_speed_mps")),
            Self::HeartRate => ("heart_rate", None),
            Self::Elevation => ("altitude_m", None),
            Self::Cadence => ("cadence_spm", None),
            Self::Power => ("power_w", None),
        }
    }

    /// The line's colour (CSS hex), for the canvas and the legend.
    pub fn colour(self) -> (u8, u8, u8) {
        match self {
            Self::Pace => (37, 99, 235),
            Self::HeartRate => (220, 38, 38),
            Self::Elevation => (22, 163, 74),
            Self::Cadence => (147, 51, 234),
            Self::Power => (217, 119, 6),
        }
    }

    /// The plotted y of an SI value: pace is seconds per km or mile, negated so that faster is
    /// up; elevation in m or ft; others as they are.
    pub fn plotted(self, si: f64, units: UnitSystem) -> f64 {
        match self {
            Self::Pace => -(units.meters_per_unit() / si),
            Self::Elevation if units == UnitSystem::Imperial => si / METERS_PER_FOOT,
            _ => si,
        }
    }

    /// A y-axis label of a plotted value.
    pub fn y_label(self, y: f64) -> String {
        match self {
            Self::Pace => format::duration(-y),
            _ => format!("{y:.0}"),
        }
    }

    /// The unit of the y axis.
    pub fn unit(self, units: UnitSystem) -> String {
        match self {
            Self::Pace => format!("/{}", units.distance_unit()),
            Self::HeartRate => "bpm".into(),
            Self::Elevation if units == UnitSystem::Imperial => "ft".into(),
            Self::Elevation => "m".into(),
            Self::Cadence => "spm".into(),
            Self::Power => "W".into(),
        }
    }

    /// Whether the run has this chart's channel.
    pub fn applies(self, data: &ChartData) -> bool {
        data.series(self.series().0).is_some()
    }
}

/// One chart: a canvas with the hover cursor and the selection drawn over it as plain elements
/// (so moving the cursor never redraws the canvas). Hover and drag update the shared
/// [`ChartCursor`].
#[component]
pub fn LineChart(data: Arc<ChartData>, kind: ChartKind, cursor: ChartCursor) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let area = RwSignal::new(None::<PlotArea>);
    let (r, g, b) = kind.colour();
    // Pace (and GAP) smoothed, for the "smooth" switch: made once, drawn when it is on.
    let (main, second) = kind.series();
    let smoothed = (kind == ChartKind::Pace).then(|| {
        let ids: Vec<&str> = [Some(main), second].into_iter().flatten().collect();
        Arc::new(data.smoothed(&ids, super::SMOOTHING_S))
    });

    #[cfg(feature = "hydrate")]
    {
        let (data, smoothed) = (data.clone(), smoothed.clone());
        let units = use_units();
        Effect::new(move |_| {
            let (units, axis) = (units.get(), cursor.axis.get());
            let data = match (&smoothed, cursor.smooth.get()) {
                (Some(s), true) => s,
                _ => &data,
            };
            if let Some(canvas) = canvas.get() {
                area.set(super::draw::line_chart(canvas, data, kind, axis, units));
            }
        });
    }

    // Closures that capture only Copy handles are Copy themselves, as the view needs.
    let stored = StoredValue::new(data.clone());
    let stored_smooth = StoredValue::new(smoothed);
    // Pointer position -> point index, through the plotting area of the last drawing.
    let pointer = move |ev: &leptos::ev::MouseEvent| -> Option<usize> {
        let x = area.get_untracked()?.x_under(ev)?;
        stored.with_value(|d| d.nearest(cursor.axis.get_untracked(), x))
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        let i = pointer(&ev);
        cursor.hover.set(i);
        if let (Some(from), Some(to)) = (cursor.drag_from.get_untracked(), i) {
            cursor
                .selection
                .set((from != to).then_some((from.min(to), from.max(to))));
        }
    };
    let on_down = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        cursor.drag_from.set(pointer(&ev));
        cursor.selection.set(None);
    };
    let on_up = move |_| cursor.drag_from.set(None);
    let on_leave = move |_| {
        cursor.hover.set(None);
        cursor.drag_from.set(None);
    };

    // Overlay positions, as percentages of the canvas width.
    let percent_of = move |i: usize| -> Option<f64> {
        let a = area.get()?;
        let x = stored.with_value(|d| d.xs(cursor.axis.get()).get(i).copied())?;
        Some(a.px_of_x(x) / f64::from(CHART_WIDTH) * 100.0)
    };
    let cursor_left = move || {
        cursor
            .hover
            .get()
            .and_then(percent_of)
            .map(|p| format!("{p:.3}%"))
    };
    let selection_box = move || {
        let (a, b) = cursor.selection.get()?;
        let (l, r) = (percent_of(a)?, percent_of(b)?);
        Some((format!("{l:.3}%"), format!("{:.3}%", r - l)))
    };
    let value_here = move || {
        let i = cursor.hover.get()?;
        let value = |d: &ChartData| d.series(main)?.values.get(i).copied().flatten();
        match cursor.smooth.get() {
            true => stored_smooth
                .with_value(|s| s.as_deref().map(value))
                .unwrap_or_else(|| stored.with_value(|d| value(d))),
            false => stored.with_value(|d| value(d)),
        }
    };

    view! {
        <figure class="chart" data-chart=kind.id()>
            <figcaption class="chart__title">
                <span class="chart__swatch" style=format!("background: rgb({r},{g},{b})")></span>
                {kind.label()}
                {(kind == ChartKind::Pace).then(|| view! {
                    <span class="chart__legend">
                        " (lighter: GAP"
                        {move || cursor.smooth.get().then(|| format!("; smoothed over {:.0} s", super::SMOOTHING_S))}
                        ")"
                    </span>
                })}
                <span class="chart__readout" data-value=move || value_here().map(|v| v.to_string())>
                    {
                        let units = crate::providers::use_units();
                        move || value_here().map(|v| kind.y_label(kind.plotted(v, units.get())) + " " + &kind.unit(units.get()))
                    }
                </span>
            </figcaption>
            <div class="chart__plot">
                <canvas
                    node_ref=canvas
                    width=CHART_WIDTH
                    height=CHART_HEIGHT
                    aria-label=kind.label()
                    on:mousemove=on_move
                    on:mousedown=on_down
                    on:mouseup=on_up
                    on:mouseleave=on_leave
                ></canvas>
                <div class="chart__cursor" hidden=move || cursor_left().is_none() style:left=cursor_left></div>
                <div
                    class="chart__selection"
                    hidden=move || selection_box().is_none()
                    style:left=move || selection_box().map(|b| b.0)
                    style:width=move || selection_box().map(|b| b.1)
                ></div>
            </div>
        </figure>
    }
}
