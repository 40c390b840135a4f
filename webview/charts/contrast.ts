/**
 * How faint the return chart's per-episode line is drawn, in the theme's own colour (its alpha):
 * lighter than the moving average drawn over it in the full colour, yet visible on every
 * background. A fixed alpha of 0.35 gave VS Code's dark blue a contrast of 1.8:1 on the dark
 * editor background: a short run's thin trace all but vanished.
 *
 * What the line must do depends on how dense it is. Sparse (a few dozen episodes across the
 * plot), it is a thin trace that must stand out from the background: at least the contrast
 * halfway (in ratio terms, the geometric mean) between the background and the full colour, and
 * at least a floor — 2:1 on light backgrounds, 3:1 (WCAG's minimum for graphics) on dark ones,
 * where the ratio overrates how well a thin dark-blue line shows, 4.5:1 in high-contrast themes.
 * Dense (thousands of episodes, several per pixel), it fills a band that shows at any alpha, and
 * the moving average must stand out from the band instead: a contrast of BAND_SEPARATION between
 * them. In between, the alpha moves from one to the other with the log of the density.
 *
 * Contrast is WCAG's ratio of relative luminances; the alpha stays within [0.35, 0.8].
 */

import { rgbaOf } from '../theme';

type Rgb = [number, number, number];

const MIN_ALPHA = 0.35;
const MAX_ALPHA = 0.8;
/** A background this dark or darker (relative luminance) is a dark theme's. */
const DARK_BACKGROUND = 0.18;
/** The contrast the moving average keeps against a solid band of episodes. */
const BAND_SEPARATION = 2.5;
/** Points per pixel of plot width: at most this many, a trace; at least this many, a band. */
const TRACE_DENSITY = 0.25;
const BAND_DENSITY = 2;

function rgbOf(colour: string): Rgb {
  const [red, green, blue] = rgbaOf(colour);
  return [red, green, blue];
}

function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrastRatio(a: Rgb, b: Rgb): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** `colour` at `alpha` over `background`, as the eye sees it. */
function over(colour: Rgb, background: Rgb, alpha: number): Rgb {
  return [0, 1, 2].map((i) => background[i] + alpha * (colour[i] - background[i])) as Rgb;
}

/**
 * The alpha in [MIN_ALPHA, MAX_ALPHA] where `meets(alpha)` turns (false below it, true above for
 * `rising`; the other way round otherwise), clamped to the ends when it does not turn inside.
 */
function bisect(meets: (alpha: number) => boolean, rising: boolean): number {
  let low = MIN_ALPHA;
  let high = MAX_ALPHA;
  if (rising ? meets(low) : !meets(low)) return low;
  if (rising ? !meets(high) : meets(high)) return high;
  for (let i = 0; i < 12; i++) {
    const middle = (low + high) / 2;
    if (meets(middle) === rising) high = middle;
    else low = middle;
  }
  return rising ? Math.ceil(high * 100) / 100 : Math.floor(low * 100) / 100;
}

export interface FaintAlphas {
  /** For a sparse line: a thin trace that must show against the background. */
  trace: number;
  /** For a dense one: a band that must leave the moving average standing out. */
  band: number;
}

export function faintAlphas(colour: string, background: string, highContrast: boolean): FaintAlphas {
  const fg = rgbOf(colour);
  const bg = rgbOf(background);
  const full = contrastRatio(fg, bg);
  const floor = highContrast ? 4.5 : luminance(bg) <= DARK_BACKGROUND ? 3 : 2;
  const target = Math.min(full, Math.max(floor, Math.sqrt(full)));
  // The contrast to the background grows with alpha, the contrast to the full colour shrinks.
  const trace = bisect((alpha) => contrastRatio(over(fg, bg, alpha), bg) >= target, true);
  const band = Math.min(trace, bisect((alpha) => contrastRatio(over(fg, bg, alpha), fg) >= BAND_SEPARATION, false));
  return { trace, band };
}

/** The alpha for a line of `pointsPerPixel` visible points per pixel of the plot's width. */
export function faintAlphaAt(alphas: FaintAlphas, pointsPerPixel: number): number {
  const share = Math.log(Math.max(TRACE_DENSITY, Math.min(BAND_DENSITY, pointsPerPixel)) / TRACE_DENSITY) / Math.log(BAND_DENSITY / TRACE_DENSITY);
  return Math.round((alphas.trace + (alphas.band - alphas.trace) * share) * 100) / 100;
}
