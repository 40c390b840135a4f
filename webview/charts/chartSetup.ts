/**
 * Chart.js registration and the options every dashboard chart shares, set up for live data as the
 * Chart.js performance guide advises: no animation, no parsing (points are {x, y} already sorted),
 * no point markers on lines, decimation on linear x axes, fixed tick rotation; and zoom (zoom.ts).
 */

import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartOptions,
  type Scale,
  type ScaleOptions,
  type TooltipCallbacks,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { ZoomPluginOptions } from 'chartjs-plugin-zoom/types/options';
import { formatInteger } from '../format';
import type { ThemePalette } from '../theme';
import type { XAxisKind } from '../viewState';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Decimation, Legend, Tooltip, zoomPlugin);

export function applyGlobalTheme(palette: ThemePalette): void {
  Chart.defaults.font.family = palette.fontFamily;
  Chart.defaults.font.size = Math.max(11, palette.fontSize - 1);
  Chart.defaults.color = palette.foreground;
  Chart.defaults.borderColor = palette.gridLines;
}

export function xAxisTitle(axis: XAxisKind): string {
  return axis === 'episode' ? 'Episode' : 'Environment step';
}

/** The options both charts share, around each chart's own scales and tooltip text. */
export function chartOptions(
  palette: ThemePalette,
  scales: ChartOptions<'line'>['scales'],
  tooltipCallbacks: Partial<TooltipCallbacks<'line'>>,
  /** Zoom and pan (zoom.ts); without it the plugin leaves the chart alone. */
  zoom?: ZoomPluginOptions,
): ChartOptions<'line'> {
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    spanGaps: true,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hoverRadius: 4, hitRadius: 6 }, line: { borderWidth: 1.5 } },
    scales,
    plugins: {
      // min-max keeps the spread of noisy returns visible when thousands of episodes share a pixel.
      decimation: { enabled: true, algorithm: 'min-max' },
      ...(zoom ? { zoom } : {}),
      legend: {
        position: 'top',
        align: 'start',
        // Dataset order decides what is drawn on top (evaluations); the legend keeps the datasets' own order.
        labels: {
          usePointStyle: true, boxWidth: 8, boxHeight: 8, padding: 12, color: palette.foreground,
          sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
          // Colours that vary per point (a resumed run's faint parent history) would colour the
          // legend after its first point: the legend shows the dataset's own colour.
          generateLabels: (chart) =>
            Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
              const colour = chart.data.datasets[item.datasetIndex ?? 0]?.borderColor;
              return typeof colour === 'string' ? { ...item, fillStyle: colour, strokeStyle: colour } : item;
            }),
        },
      },
      tooltip: {
        backgroundColor: palette.background,
        titleColor: palette.foreground,
        bodyColor: palette.foreground,
        borderColor: palette.gridLines,
        borderWidth: 1,
        usePointStyle: true,
        callbacks: tooltipCallbacks,
      },
    },
  };
}

/** The parts of an axis drawn in theme colours, the same parts recolourChart repaints. */
export function themedAxis(title: string, palette: ThemePalette) {
  return {
    title: { display: true, text: title, color: palette.mutedForeground },
    ticks: { color: palette.mutedForeground },
    grid: { color: palette.gridLines },
    border: { color: palette.gridLines },
  };
}

/**
 * Episodes and steps both count from `start`: 0 (before training) gives round ticks, a resumed
 * run starts at its checkpoint. The axis ends at the newest point, whose label is kept, and a
 * round tick crowding it is dropped. Zoomed in, the axis ends between round ticks.
 */
export function linearXAxis(axis: XAxisKind, palette: ThemePalette, start = 0): ScaleOptions<'linear'> {
  const themed = themedAxis(xAxisTitle(axis), palette);
  return {
    ...themed,
    type: 'linear',
    bounds: 'data',
    min: start,
    ticks: { ...themed.ticks, maxRotation: 0, autoSkip: true, precision: 0 },
    afterBuildTicks: (scale) => {
      // Zoomed (zoom.ts sets a max), the ends are wherever the drag stopped, and Chart.js spaces
      // its ticks from there (439, 459, …): round ones read better.
      if (scale.options.max !== undefined) {
        scale.ticks = roundTicksBetween(scale.min, scale.max, Math.max(2, Math.floor(scale.chart.width / 90)));
        return;
      }
      const ticks = scale.ticks;
      if (ticks.length < 3) return;
      const spacing = ticks[ticks.length - 2].value - ticks[ticks.length - 3].value;
      if (ticks[ticks.length - 1].value - ticks[ticks.length - 2].value < 0.6 * spacing) ticks.splice(ticks.length - 2, 1);
    },
  };
}

/** Ticks on multiples of a round integer step (1, 2 or 5 × 10ⁿ) between min and max, about `count` of them. */
function roundTicksBetween(min: number, max: number, count: number): Array<{ value: number }> {
  const rough = Math.max(1, (max - min) / count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const mantissa = rough / power;
  const step = (mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10) * power;
  const ticks: Array<{ value: number }> = [];
  for (let value = Math.ceil(min / step) * step; value <= max; value += step) ticks.push({ value });
  return ticks;
}

/**
 * A y axis fitted to the data (robustRange.ts) ends at unround values, and Chart.js puts a tick
 * at each end (−518.2 under −500): those give way to round ones.
 */
export function dropUnroundEndTicks(scale: Scale): void {
  const ticks = scale.ticks;
  if (ticks.length < 4) return;
  const step = ticks[2].value - ticks[1].value;
  const offStep = (value: number) => Math.abs(value / step - Math.round(value / step)) > 1e-6;
  // Chart.js replaces a round tick close to the bound by the bound itself: the round one comes back.
  const last = ticks[ticks.length - 1];
  if (offStep(last.value)) {
    const round = Math.floor(last.value / step) * step;
    if (round > ticks[ticks.length - 2].value + step / 2) last.value = round;
    else ticks.pop();
  }
  const first = ticks[0];
  if (offStep(first.value)) {
    const round = Math.ceil(first.value / step) * step;
    if (round < ticks[1].value - step / 2) first.value = round;
    else ticks.shift();
  }
}

/** A linear y axis whose bounds the chart fits to the visible data. */
export function fittedLinearAxis(title: string, palette: ThemePalette): ScaleOptions<'linear'> {
  return { ...themedAxis(title, palette), type: 'linear', afterBuildTicks: dropUnroundEndTicks };
}

/** After the x-axis switch: the axis title names the new unit. */
export function retitleXAxis(chart: Chart<'line' | 'scatter', unknown>, axis: XAxisKind): void {
  const scale = chart.options.scales?.x;
  if (scale?.title) scale.title.text = xAxisTitle(axis);
}

/** The tooltip heading for a point at `x` on the x axis. */
export function xTooltipTitle(axis: XAxisKind, x: number | null | undefined): string {
  if (x === undefined || x === null) return '';
  return axis === 'episode' ? `Episode ${formatInteger(x)}` : `Step ${formatInteger(x)}`;
}

/** Re-applies theme colours to a chart's scales, legend and tooltip after a theme change. */
export function recolourChart(chart: Chart<'line' | 'scatter', unknown>, palette: ThemePalette): void {
  const options = chart.options;
  for (const scale of Object.values(options.scales ?? {})) {
    if (!scale) continue;
    if (scale.ticks) scale.ticks.color = palette.mutedForeground;
    if (scale.grid) scale.grid.color = palette.gridLines;
    if (scale.border) scale.border.color = palette.gridLines;
    const title = (scale as { title?: { color?: unknown } }).title;
    if (title) title.color = palette.mutedForeground;
  }
  const legendLabels = options.plugins?.legend?.labels;
  if (legendLabels) legendLabels.color = palette.foreground;
  const tooltip = options.plugins?.tooltip;
  if (tooltip) {
    tooltip.backgroundColor = palette.background;
    tooltip.titleColor = palette.foreground;
    tooltip.bodyColor = palette.foreground;
    tooltip.borderColor = palette.gridLines;
  }
}
