import uPlot from 'uplot';
import { formatAmount } from '../../common/currency.js';
import { minorDigits } from '../../common/money-input.js';

interface Volume {
  currency: string;
  days: Array<{ day: string; payments: number; successful: number; failed: number; amount: number }>;
}

const COLORS = {
  payments: '#1d4ed8',
  successful: '#15803d',
  amount: 'rgba(21, 128, 61, 0.18)',
  axis: '#334155',
  grid: '#e2e8f0',
};

/**
 * The home page chart: payments and successful payments per day (lines, left axis) over the
 * successful volume (bars, right axis). Its data is in the page (data-series), and the same numbers
 * are in the table beside it for anyone who cannot see the chart.
 */
export function drawVolumeChart(): void {
  const container = document.querySelector<HTMLElement>('[data-role="volume-chart"]');
  if (!container?.dataset.series) return;
  const volume = JSON.parse(container.dataset.series) as Volume;
  const scale = 10 ** minorDigits(volume.currency);
  const data: uPlot.AlignedData = [
    volume.days.map((day) => Date.parse(`${day.day}T00:00:00Z`) / 1000),
    volume.days.map((day) => day.payments),
    volume.days.map((day) => day.successful),
    volume.days.map((day) => day.amount / scale),
  ];
  const money = (value: number) => formatAmount(Math.round(value * scale), volume.currency);
  const axis = {
    stroke: COLORS.axis,
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.grid },
  };
  const options: uPlot.Options = {
    width: container.clientWidth || 600,
    height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, count: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
    axes: [
      {
        ...axis,
        values: (_u, ticks) => ticks.map((tick) => new Date(tick * 1000).toISOString().slice(5, 10)),
      },
      { ...axis, scale: 'count', label: 'Payments' },
      {
        ...axis,
        scale: volume.currency,
        side: 1,
        grid: { show: false },
        values: (_u, ticks) => ticks.map(money),
        size: 80,
      },
    ],
    series: [
      {
        label: 'Day',
        value: (_u, ts) => (ts === null ? '—' : new Date(ts * 1000).toISOString().slice(0, 10)),
      },
      { label: 'Payments', scale: 'count', stroke: COLORS.payments, width: 2, points: { show: true } },
      {
        label: 'Succeeded',
        scale: 'count',
        stroke: COLORS.successful,
        width: 2,
        dash: [6, 4],
        points: { show: true },
      },
      {
        label: `Successful volume (${volume.currency})`,
        scale: volume.currency,
        fill: COLORS.amount,
        stroke: COLORS.successful,
        width: 1,
        paths: uPlot.paths.bars?.({ size: [0.6, 48] }),
        points: { show: false },
        value: (_u, value) => (value === null ? '—' : money(value)),
      },
    ],
  };
  const plot = new uPlot(options, data, container);
  // Follow the container's width (phones rotate, windows resize).
  new ResizeObserver(() => plot.setSize({ width: container.clientWidth, height: 260 })).observe(container);
}
