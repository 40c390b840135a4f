/**
 * Training statistics per episode: the critic's TD loss (left axis, log scale by default because it
 * falls by decades) and the mean Q value (right axis, linear: it is negative for Pendulum).
 */

import { Chart, type ScaleOptions, type TooltipItem } from 'chart.js';
import type { EpisodeRow } from '../../src/shared/protocol';
import { element } from '../dom';
import { formatSignificant } from '../format';
import type { ThemePalette } from '../theme';
import type { XAxisKind } from '../viewState';
import { chartOptions, linearXAxis, recolourChart, retitleXAxis, themedAxis, xTooltipTitle } from './chartSetup';
import { createChartCard, type ChartCard } from './chartCard';
import type { RowSeries } from './decimatedSeries';
import { statisticSeries, type XYPoint } from './series';

export class LossChart {
  readonly card: ChartCard;
  private readonly chart: Chart<'line', XYPoint[]>;
  private episodes: readonly EpisodeRow[] = [];
  private lossLine: RowSeries<EpisodeRow>;
  private meanQLine: RowSeries<EpisodeRow>;

  constructor(
    private palette: ThemePalette,
    private xAxis: XAxisKind,
    private logScale: boolean,
    onLogScaleChange: (logScale: boolean) => void,
  ) {
    const checkbox = element('input', { testId: 'loss-log-scale', attributes: { type: 'checkbox' } });
    checkbox.checked = logScale;
    this.lossLine = statisticSeries(xAxis, 'criticLoss', logScale);
    this.meanQLine = statisticSeries(xAxis, 'meanQ', false);
    checkbox.addEventListener('change', () => {
      this.logScale = checkbox.checked;
      this.lossLine = statisticSeries(this.xAxis, 'criticLoss', this.logScale);
      onLogScaleChange(this.logScale);
      this.chart.options.scales = { ...this.chart.options.scales, y: this.lossAxis() };
      this.redraw();
    });
    const toggle = element('label', { className: 'control-label checkbox-label' }, [checkbox, element('span', { text: 'Log scale' })]);
    this.card = createChartCard('Critic loss and mean Q', 'loss-chart', [toggle]);
    const meanQAxis = themedAxis('Mean Q', palette);
    this.chart = new Chart<'line', XYPoint[]>(this.card.canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: 'Critic loss', data: [], yAxisID: 'y', pointStyle: 'line', borderWidth: 1.5 },
          { label: 'Mean Q', data: [], yAxisID: 'q', pointStyle: 'line', borderWidth: 1.5 },
        ],
      },
      options: chartOptions(
        palette,
        {
          x: linearXAxis(xAxis, palette),
          y: this.lossAxis(),
          q: { ...meanQAxis, type: 'linear', position: 'right', grid: { ...meanQAxis.grid, drawOnChartArea: false } },
        },
        {
          title: (items: TooltipItem<'line'>[]) => xTooltipTitle(this.xAxis, items[0]?.parsed.x),
          label: (item: TooltipItem<'line'>) => ` ${item.dataset.label}: ${formatSignificant(item.parsed.y)}`,
        },
      ),
    });
    this.applyColours();
  }

  setRows(episodes: readonly EpisodeRow[]): void {
    this.episodes = episodes;
  }

  setXAxis(axis: XAxisKind): void {
    this.xAxis = axis;
    this.lossLine = statisticSeries(axis, 'criticLoss', this.logScale);
    this.meanQLine = statisticSeries(axis, 'meanQ', false);
    retitleXAxis(this.chart, axis);
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.applyColours();
    recolourChart(this.chart, palette);
    this.chart.update('none');
  }

  redraw(): void {
    const [loss, meanQ] = this.chart.data.datasets;
    loss.data = this.lossLine.sync(this.episodes).points();
    meanQ.data = this.meanQLine.sync(this.episodes).points();
    const empty = loss.data.length === 0 && meanQ.data.length === 0;
    this.card.showEmptyNote(
      !empty ? null : this.episodes.length === 0 ? 'No finished episodes yet.' : 'No updates yet: the replay buffer is still warming up.',
    );
    this.chart.update('none');
  }

  private lossAxis(): ScaleOptions<'linear' | 'logarithmic'> {
    const themed = themedAxis(this.logScale ? 'Critic loss (log)' : 'Critic loss', this.palette);
    return {
      ...themed,
      type: this.logScale ? 'logarithmic' : 'linear',
      position: 'left',
      ticks: {
        ...themed.ticks,
        // Log axes label every 1-2-5 step by default, which crowds a short chart; keep decades and 5s.
        callback: this.logScale
          ? (value) => {
              const v = Number(value);
              const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
              return Math.abs(mantissa - 1) < 1e-6 || Math.abs(mantissa - 5) < 1e-6 ? formatSignificant(v) : '';
            }
          : (value) => formatSignificant(Number(value)),
      },
    };
  }

  private applyColours(): void {
    const [loss, meanQ] = this.chart.data.datasets;
    loss.borderColor = this.palette.red;
    loss.backgroundColor = this.palette.red;
    meanQ.borderColor = this.palette.green;
    meanQ.backgroundColor = this.palette.green;
  }
}
