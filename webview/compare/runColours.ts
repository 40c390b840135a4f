/**
 * One colour per compared run, stable while the comparison is open (by the run's position). The
 * first six are the theme's own chart colours; the rest are mid-tones readable on light and dark.
 */

import type { ThemePalette } from '../theme';

const EXTRA_COLOURS = ['#17becf', '#e377c2', '#bcbd22', '#c9865b', '#8c9eff', '#9e9e9e'];

export function runColour(index: number, palette: ThemePalette): string {
  const colours = [palette.blue, palette.orange, palette.green, palette.red, palette.purple, palette.yellow, ...EXTRA_COLOURS];
  return colours[index % colours.length];
}
