/** Number, time and value formatting shared by the status line, banners, tooltips and tables. */

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimalFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** Returns of Pendulum lie in about [−1700, 0], MountainCar's in about [−100, 100]: one decimal is the useful precision. */
export function formatReturn(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return oneDecimalFormat.format(value);
}

export function formatMeanStd(mean: number, std: number): string {
  return `${formatReturn(mean)} ± ${oneDecimalFormat.format(std)}`;
}

/** Losses span decades: three significant digits, switching to exponent form when tiny or huge. */
export function formatSignificant(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}

export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '—';
  const seconds = Math.floor(totalSeconds);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

export function formatRate(stepsPerSecond: number): string {
  if (!Number.isFinite(stepsPerSecond) || stepsPerSecond <= 0) return '—';
  return stepsPerSecond >= 100 ? integerFormat.format(stepsPerSecond) : oneDecimalFormat.format(stepsPerSecond);
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Configuration values as a user would type them in settings.json. */
export function formatConfigValue(value: unknown): string {
  if (value === undefined) return '—';
  if (Array.isArray(value)) return `[${value.map((v) => formatConfigValue(v)).join(', ')}]`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // What JSON cannot print (JSON.stringify gives undefined for these, and throws on a BigInt).
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** An action with its sign always shown, and its unit when it has one: "+1.25 N·m", "−0.40". */
export function formatSignedAction(value: number, unit: string): string {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  return `${sign}${Math.abs(value).toFixed(2)}${unit ? ` ${unit}` : ''}`;
}
