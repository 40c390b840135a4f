/**
 * Draws ± std whiskers for a scatter dataset whose points carry `std` (the deterministic
 * evaluations). Chart.js has no error bars built in; a whisker per evaluation is truer than a band,
 * because evaluations are discrete measurements, not a continuous curve. They are drawn just
 * before the markers: above the return band, beneath the markers they belong to. When evaluations are
 * packed closer than a few pixels (frequent evals on a long run), whiskers are drawn faint and
 * without caps: hundreds of solid whiskers would otherwise paint over the return curve.
 */

/** Below this many pixels between neighbouring evaluations, whiskers turn faint and lose their caps. */
const DENSE_SPACING_PX = 8;

import type { Chart, Plugin } from 'chart.js';
import type { EvalPoint } from './series';

/** @param isFaint points drawn faint whatever the spacing (a resumed run's parent history) */
export function errorBarsPlugin(datasetIndex: number, isFaint: (point: EvalPoint) => boolean = () => false): Plugin {
  return {
    id: `errorBars${datasetIndex}`,
    beforeDatasetDraw(chart: Chart, args: { index: number }) {
      if (args.index !== datasetIndex) return;
      const dataset = chart.data.datasets[datasetIndex];
      const yScale = chart.scales[chart.getDatasetMeta(datasetIndex).yAxisID ?? 'y'];
      const xScale = chart.scales[chart.getDatasetMeta(datasetIndex).xAxisID ?? 'x'];
      if (!xScale || !yScale) return;
      const points = (dataset.data as unknown as EvalPoint[]).filter((p) => p.std > 0 && p.x >= xScale.min && p.x <= xScale.max);
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.beginPath();
      ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
      ctx.clip();
      if (typeof dataset.borderColor === 'string') ctx.strokeStyle = dataset.borderColor;
      const spacing = points.length > 1 ? (chartArea.right - chartArea.left) / points.length : Infinity;
      const dense = spacing < DENSE_SPACING_PX;
      ctx.lineWidth = dense ? 1 : 1.5;
      const cap = dense ? 0 : 4;
      for (const faint of [true, false]) {
        ctx.globalAlpha = dense ? 0.25 : faint ? 0.35 : 1;
        ctx.beginPath();
        for (const point of points) {
          if (isFaint(point) !== faint) continue;
          const x = xScale.getPixelForValue(point.x);
          const top = yScale.getPixelForValue(point.y + point.std);
          const bottom = yScale.getPixelForValue(point.y - point.std);
          ctx.moveTo(x, top);
          ctx.lineTo(x, bottom);
          ctx.moveTo(x - cap, top);
          ctx.lineTo(x + cap, top);
          ctx.moveTo(x - cap, bottom);
          ctx.lineTo(x + cap, bottom);
        }
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}
