/**
 * Chart.js registration and the options every dashboard chart shares, set up for live data as the
 * Chart.js performance guide advises: no animation, no parsing (points are {x, y} already sorted),
 * no point markers on lines, decimation on linear x axes, fixed tick rotation.
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
  type ScaleOptions,
  type TooltipCallbacks,
} from 'chart.js';
import { formatInteger } from '../format';
import type { ThemePalette } from '../theme';
import type { XAxisKind } from '../viewState';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Decimation, Legend, Tooltip);

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
      legend: {
        position: 'top',
        align: 'start',
        labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8, padding: 12, color: palette.foreground },
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
 * Episodes and steps both count from 0 (before training), which gives round ticks; the axis ends
 * at the newest point, whose label is kept, and a round tick crowding it is dropped.
 */
export function linearXAxis(axis: XAxisKind, palette: ThemePalette): ScaleOptions<'linear'> {
  const themed = themedAxis(xAxisTitle(axis), palette);
  return {
    ...themed,
    type: 'linear',
    bounds: 'data',
    min: 0,
    ticks: { ...themed.ticks, maxRotation: 0, autoSkip: true, precision: 0 },
    afterBuildTicks: (scale) => {
      const ticks = scale.ticks;
      if (ticks.length < 3) return;
      const spacing = ticks[ticks.length - 2].value - ticks[ticks.length - 3].value;
      if (ticks[ticks.length - 1].value - ticks[ticks.length - 2].value < 0.6 * spacing) ticks.splice(ticks.length - 2, 1);
    },
  };
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
