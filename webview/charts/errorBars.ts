/**
 * Draws ± std whiskers for a scatter dataset whose points carry `std` (the deterministic
 * evaluations). Chart.js has no error bars built in; a whisker per evaluation is truer than a band,
 * because evaluations are discrete measurements, not a continuous curve. When evaluations are
 * packed closer than a few pixels (frequent evals on a long run), whiskers are drawn faint and
 * without caps: hundreds of solid whiskers would otherwise paint over the return curve.
 */

/** Below this many pixels between neighbouring evaluations, whiskers turn faint and lose their caps. */
const DENSE_SPACING_PX = 8;

import type { Chart, Plugin } from 'chart.js';
import type { EvalPoint } from './series';

export function errorBarsPlugin(datasetIndex: number): Plugin {
  return {
    id: `errorBars${datasetIndex}`,
    afterDatasetsDraw(chart: Chart) {
      if (!chart.isDatasetVisible(datasetIndex)) return;
      const dataset = chart.data.datasets[datasetIndex];
      const points = dataset.data as unknown as EvalPoint[];
      const yScale = chart.scales[chart.getDatasetMeta(datasetIndex).yAxisID ?? 'y'];
      const xScale = chart.scales[chart.getDatasetMeta(datasetIndex).xAxisID ?? 'x'];
      if (!xScale || !yScale) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.beginPath();
      ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
      ctx.clip();
      if (typeof dataset.borderColor === 'string') ctx.strokeStyle = dataset.borderColor;
      const spacing = points.length > 1 ? (chartArea.right - chartArea.left) / points.length : Infinity;
      const dense = spacing < DENSE_SPACING_PX;
      ctx.lineWidth = dense ? 1 : 1.5;
      ctx.globalAlpha = dense ? 0.25 : 1;
      const cap = dense ? 0 : 4;
      ctx.beginPath();
      for (const point of points) {
        if (!(point.std > 0)) continue;
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
      ctx.restore();
    },
  };
}
