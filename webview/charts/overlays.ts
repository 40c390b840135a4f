/**
 * What the charts draw besides their datasets: the environment's "solved" threshold (a labelled
 * dashed line, drawn just before the evaluation markers so that they stay on top; when the y axis
 * leaves it out, a marker at the edge it lies beyond: "- - solved at 4,800 ↑"), the point a
 * resumed run continued from its parent (a labelled vertical line), and markers at the plot's edge
 * for points the fitted y range leaves out (robustRange.ts), so that nothing disappears silently.
 */

import type { Chart, Plugin } from 'chart.js';
import type { ThemePalette } from '../theme';
import type { XYPoint } from './series';

export interface ReferenceLines {
  solved: { y: number; label: string } | null;
  /** x of the resume point, with its label ("resumed from … at episode 450"). */
  resume: { x: number; label: string } | null;
}

const LABEL_PADDING = 4;
const LABEL_HEIGHT = 16;
/** The dashed stub before an off-axis threshold's text, in the line's own style. */
const STUB_WIDTH = 16;
const SOLVED_DASH = [6, 4];

const thresholdFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** What the marker of a threshold beyond the axis says: "solved at 4,800 ↑". */
export function offAxisThresholdText(value: number, side: 'above' | 'below'): string {
  return `solved at ${thresholdFormat.format(value)} ${side === 'above' ? '↑' : '↓'}`;
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function labelFont(chart: Chart): string {
  return `${Math.max(10, (chart.options.font?.size ?? 12) - 1)}px ${chart.options.font?.family ?? 'sans-serif'}`;
}

/**
 * Whether any drawn point of a visible dataset lies in the box (widened by `margin` pixels); points
 * beyond the plot count where their edge marker is (clippedPointsPlugin).
 */
function boxCoversPoints(chart: Chart, box: Box, margin: number): boolean {
  const { top, bottom } = chart.chartArea;
  for (let i = 0; i < chart.data.datasets.length; i++) {
    if (!chart.isDatasetVisible(i)) continue;
    for (const point of chart.getDatasetMeta(i).data) {
      const x = point.x;
      const y = Math.min(bottom, Math.max(top, point.y));
      if (x >= box.left - margin && x <= box.right + margin && y >= box.top - margin && y <= box.bottom + margin) return true;
    }
  }
  return false;
}

function clipToArea(chart: Chart): void {
  const { ctx, chartArea } = chart;
  ctx.beginPath();
  ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
  ctx.clip();
}

function drawLabel(chart: Chart, text: string, x: number, y: number, align: 'left' | 'right', colour: string, background: string): void {
  const { ctx } = chart;
  ctx.font = labelFont(chart);
  const width = ctx.measureText(text).width;
  const left = align === 'right' ? x - width - LABEL_PADDING * 2 : x;
  ctx.globalAlpha = 0.85;
  ctx.fillStyle = background;
  ctx.fillRect(left, y - LABEL_HEIGHT / 2, width + LABEL_PADDING * 2, LABEL_HEIGHT);
  ctx.globalAlpha = 1;
  ctx.fillStyle = colour;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, left + LABEL_PADDING, y);
}

/** How an off-axis threshold's marker is drawn: its colour and the dashes of its line's stub. */
export interface ThresholdMarkerStyle {
  colour: string;
  /** Behind the text, so that it reads over grid lines and data. */
  background: string;
  /** The line's dash pattern and width (the dashboard's solved line: [6, 4] at 1.5 px). */
  dash?: readonly number[];
  lineWidth?: number;
}

/**
 * The marker of a threshold beyond the y axis, inside the plot at the edge it lies beyond: a stub
 * of the dashed line and its text. In the left corner (where a rising learning curve starts low, and
 * where the line's own label sits) unless the data run through there; then in the right one.
 * Returns the box it took, in CSS pixels.
 */
function drawOffAxisMarker(chart: Chart, text: string, side: 'above' | 'below', style: ThresholdMarkerStyle): Box {
  const { ctx, chartArea } = chart;
  const { colour, background } = style;
  ctx.font = labelFont(chart);
  const width = STUB_WIDTH + LABEL_PADDING + ctx.measureText(text).width + LABEL_PADDING * 2;
  const top = side === 'above' ? chartArea.top + 2 : chartArea.bottom - 2 - LABEL_HEIGHT;
  const at = (left: number): Box => ({ left, top, right: left + width, bottom: top + LABEL_HEIGHT });
  const leftBox = at(chartArea.left + 2);
  const rightBox = at(chartArea.right - 2 - width);
  const box = boxCoversPoints(chart, leftBox, 3) && !boxCoversPoints(chart, rightBox, 3) ? rightBox : leftBox;
  const middle = Math.round(top + LABEL_HEIGHT / 2) + 0.5;
  ctx.globalAlpha = 0.85;
  ctx.fillStyle = background;
  ctx.fillRect(box.left, box.top, width, LABEL_HEIGHT);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = colour;
  ctx.lineWidth = style.lineWidth ?? 1.5;
  ctx.setLineDash([...(style.dash ?? SOLVED_DASH)]);
  ctx.beginPath();
  ctx.moveTo(box.left + LABEL_PADDING, middle);
  ctx.lineTo(box.left + LABEL_PADDING + STUB_WIDTH, middle);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = colour;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, box.left + LABEL_PADDING * 2 + STUB_WIDTH, top + LABEL_HEIGHT / 2);
  return box;
}

/**
 * Where a threshold lies against the chart's y axis as last laid out: inside it, beyond it above or
 * below, or null without a threshold or a laid-out axis.
 */
function thresholdSide(chart: Chart, value: number | null): 'inside' | 'above' | 'below' | null {
  const y = chart.scales.y;
  if (value === null || !y || !Number.isFinite(y.min) || !Number.isFinite(y.max)) return null;
  return value > y.max ? 'above' : value < y.min ? 'below' : 'inside';
}

/**
 * The off-axis marker of a threshold the y axis leaves out ("- - solved at 4,800 ↑"), drawn when
 * there is one, and said on the canvas for the tests: data-solved-marker is its text (absent when
 * no marker is drawn), data-solved-marker-box its box (left,top,right,bottom in CSS pixels).
 * Call it in an after-draw hook, inside ctx.save()/restore(). Returns the box, or null.
 */
export function drawOffAxisThreshold(chart: Chart, value: number | null, style: ThresholdMarkerStyle): Box | null {
  const data = chart.canvas.dataset;
  const side = thresholdSide(chart, value);
  if (value === null || side === null || side === 'inside') {
    delete data.solvedMarker;
    delete data.solvedMarkerBox;
    return null;
  }
  const text = offAxisThresholdText(value, side);
  const box = drawOffAxisMarker(chart, text, side, style);
  data.solvedMarker = text;
  data.solvedMarkerBox = [box.left, box.top, box.right, box.bottom].map((v) => v.toFixed(1)).join(',');
  return box;
}

/**
 * For charts that draw a threshold line of their own (a dataset, as the comparison does) while it
 * is on the axis: the off-axis marker (drawOffAxisThreshold) whenever the y axis leaves `threshold()`
 * out. Drawn after the datasets.
 */
export function offAxisThresholdPlugin(threshold: () => number | null, style: () => ThresholdMarkerStyle): Plugin {
  return {
    id: 'offAxisThreshold',
    afterDatasetsDraw(chart) {
      chart.ctx.save();
      drawOffAxisThreshold(chart, threshold(), style());
      chart.ctx.restore();
    },
  };
}

/**
 * @param markersDataset the dataset drawn on top (the evaluations): the solved line is drawn
 *   right before it, so above the return band and below the markers. Without it (or with it
 *   hidden), the line is drawn after every dataset.
 *
 * The canvas says what became of the threshold, for the tests: data-solved-marker and
 * data-solved-marker-box (drawOffAxisThreshold).
 */
export function referenceLinesPlugin(lines: () => ReferenceLines, palette: () => ThemePalette, markersDataset: number | null): Plugin {
  const drawSolvedLine = (chart: Chart) => {
    const solved = lines().solved;
    const y = chart.scales.y;
    if (!solved || !y || solved.y < y.min || solved.y > y.max) return;
    const pixel = Math.round(y.getPixelForValue(solved.y)) + 0.5;
    const { ctx, chartArea } = chart;
    ctx.save();
    clipToArea(chart);
    ctx.strokeStyle = palette().green;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(SOLVED_DASH);
    ctx.beginPath();
    ctx.moveTo(chartArea.left, pixel);
    ctx.lineTo(chartArea.right, pixel);
    ctx.stroke();
    ctx.restore();
  };
  return {
    id: 'referenceLines',
    beforeDatasetsDraw(chart) {
      const resume = lines().resume;
      const x = chart.scales.x;
      if (!resume || !x || resume.x < x.min || resume.x > x.max) return;
      const pixel = Math.round(x.getPixelForValue(resume.x)) + 0.5;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.strokeStyle = palette().mutedForeground;
      ctx.lineWidth = 1;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(pixel, chartArea.top);
      ctx.lineTo(pixel, chartArea.bottom);
      ctx.stroke();
      ctx.restore();
    },
    beforeDatasetDraw(chart, args) {
      if (args.index === markersDataset) drawSolvedLine(chart);
    },
    afterDatasetsDraw(chart) {
      if (markersDataset === null || !chart.isDatasetVisible(markersDataset)) drawSolvedLine(chart);
      const { solved, resume } = lines();
      const { chartArea, scales } = chart;
      const colours = palette();
      chart.ctx.save();
      const onAxis = solved && scales.y && solved.y >= scales.y.min && solved.y <= scales.y.max;
      if (solved && onAxis) {
        const pixel = scales.y.getPixelForValue(solved.y);
        // Below the line when it runs along the top edge, above it otherwise; at the left, where a
        // learning curve is usually far from its goal.
        const labelY = pixel - chartArea.top < 18 ? pixel + 10 : pixel - 10;
        drawLabel(chart, solved.label, chartArea.left + 2, labelY, 'left', colours.green, colours.background);
      }
      const marker = drawOffAxisThreshold(chart, solved && !onAxis ? solved.y : null, { colour: colours.green, background: colours.background });
      if (resume && scales.x && resume.x >= scales.x.min && resume.x <= scales.x.max) {
        const pixel = scales.x.getPixelForValue(resume.x);
        const fitsRight = chartArea.right - pixel > 180;
        // Under the threshold's marker when the two would meet along the top edge.
        let labelY = chartArea.top + 10;
        if (marker && marker.top < chartArea.top + LABEL_HEIGHT) {
          chart.ctx.font = labelFont(chart);
          const width = chart.ctx.measureText(resume.label).width + LABEL_PADDING * 2;
          const left = fitsRight ? pixel + 3 : pixel - 3 - width;
          if (left < marker.right && left + width > marker.left) labelY = marker.bottom + 10;
        }
        drawLabel(chart, resume.label, fitsRight ? pixel + 3 : pixel - 3, labelY, fitsRight ? 'left' : 'right', colours.mutedForeground, colours.background);
      }
      chart.ctx.restore();
    },
  };
}

/** A dataset whose out-of-range points get edge markers, and how big they are. */
export interface ClippedMarkerSpec {
  datasetIndex: number;
  size: number;
}

/** Marks every point beyond the y axis' range with a small triangle at the edge it went past. */
export function clippedPointsPlugin(specs: readonly ClippedMarkerSpec[]): Plugin {
  return {
    id: 'clippedPoints',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea } = chart;
      ctx.save();
      for (const { datasetIndex, size } of specs) {
        if (!chart.isDatasetVisible(datasetIndex)) continue;
        const dataset = chart.data.datasets[datasetIndex];
        const meta = chart.getDatasetMeta(datasetIndex);
        const x = chart.scales[meta.xAxisID ?? 'x'];
        const y = chart.scales[meta.yAxisID ?? 'y'];
        if (!x || !y) continue;
        const colour = typeof dataset.borderColor === 'string' ? dataset.borderColor : '#888';
        ctx.fillStyle = colour;
        ctx.globalAlpha = 1;
        ctx.beginPath();
        // One marker per few pixels is as much as the eye can tell apart, and cheap on long runs.
        let lastColumn = -Infinity;
        let lastEdge = 0;
        for (const point of dataset.data as unknown as XYPoint[]) {
          const edge = point.y > y.max ? -1 : point.y < y.min ? 1 : 0;
          if (edge === 0 || point.x < x.min || point.x > x.max) continue;
          const px = x.getPixelForValue(point.x);
          if (px - lastColumn < size && edge === lastEdge) continue;
          lastColumn = px;
          lastEdge = edge;
          const tip = edge < 0 ? chartArea.top : chartArea.bottom;
          const base = tip - edge * size * 1.6;
          ctx.moveTo(px, tip);
          ctx.lineTo(px - size, base);
          ctx.lineTo(px + size, base);
          ctx.closePath();
        }
        ctx.fill();
      }
      ctx.restore();
    },
  };
}

/**
 * Publishes what the chart shows on its canvas (data-x-min, data-x-max, data-y-min, data-y-max,
 * data-area = left,top,right,bottom in CSS pixels): the tests read it to find points on the
 * canvas, and it costs a few attribute writes per draw.
 */
export const shownRangeAttributesPlugin: Plugin = {
  id: 'shownRangeAttributes',
  afterDraw(chart) {
    const dataset = chart.canvas.dataset;
    const { x, y } = chart.scales;
    const area = chart.chartArea;
    if (x) {
      dataset.xMin = String(x.min);
      dataset.xMax = String(x.max);
    }
    if (y) {
      dataset.yMin = String(y.min);
      dataset.yMax = String(y.max);
    }
    dataset.area = [area.left, area.top, area.right, area.bottom].map((v) => v.toFixed(1)).join(',');
  },
};
