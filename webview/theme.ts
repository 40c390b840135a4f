/**
 * The dashboard's colours come from VS Code's theme variables, so charts and the animation match the
 * user's theme. Canvases cannot use CSS variables directly: colours are read once at start and again
 * whenever VS Code switches theme (it changes the body class and the variables on <html>).
 */

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

export interface ThemePalette {
  kind: ThemeKind;
  foreground: string;
  mutedForeground: string;
  background: string;
  gridLines: string;
  blue: string;
  orange: string;
  green: string;
  red: string;
  purple: string;
  yellow: string;
  fontFamily: string;
  /** In CSS pixels. */
  fontSize: number;
}

function themeKindOf(body: HTMLElement): ThemeKind {
  const classes = body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

/** Fallbacks are VS Code's own Dark Modern / Light Modern values, used outside VS Code only. */
const FALLBACKS: Record<'dark' | 'light', Omit<ThemePalette, 'kind' | 'fontFamily' | 'fontSize'>> = {
  dark: {
    foreground: '#cccccc', mutedForeground: '#9d9d9d', background: '#1f1f1f', gridLines: 'rgba(204, 204, 204, 0.2)',
    blue: '#3794ff', orange: '#d18616', green: '#89d185', red: '#f14c4c', purple: '#b180d7', yellow: '#cca700',
  },
  light: {
    foreground: '#3b3b3b', mutedForeground: '#717171', background: '#ffffff', gridLines: 'rgba(97, 97, 97, 0.2)',
    blue: '#1a85ff', orange: '#d18616', green: '#388a34', red: '#e51400', purple: '#652d90', yellow: '#bf8803',
  },
};

export function readPalette(): ThemePalette {
  const kind = themeKindOf(document.body);
  const fallback = FALLBACKS[kind === 'light' || kind === 'high-contrast-light' ? 'light' : 'dark'];
  const style = getComputedStyle(document.body);
  const variable = (name: string, otherwise: string) => style.getPropertyValue(name).trim() || otherwise;
  const foreground = variable('--vscode-charts-foreground', variable('--vscode-foreground', fallback.foreground));
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  return {
    kind,
    foreground,
    mutedForeground: variable('--vscode-descriptionForeground', fallback.mutedForeground),
    background: variable('--vscode-editor-background', fallback.background),
    // charts.lines is a strong 50 % line colour meant for axes; grids are drawn fainter except in
    // high contrast, where faint lines would vanish.
    gridLines: withAlpha(variable('--vscode-charts-lines', fallback.gridLines), highContrast ? 0.6 : 0.18),
    blue: variable('--vscode-charts-blue', fallback.blue),
    orange: variable('--vscode-charts-orange', fallback.orange),
    green: variable('--vscode-charts-green', fallback.green),
    red: variable('--vscode-charts-red', fallback.red),
    purple: variable('--vscode-charts-purple', fallback.purple),
    yellow: variable('--vscode-charts-yellow', fallback.yellow),
    fontFamily: variable('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(variable('--vscode-font-size', '13')) || 13,
  };
}

let colourParser: CanvasRenderingContext2D | null = null;

/**
 * Any CSS colour as red, green, blue (0–255) and alpha. The browser's own parser (a canvas
 * fillStyle) normalises names, hex with alpha and rgb() alike to '#rrggbb' or 'rgba(r, g, b, a)'.
 */
export function rgbaOf(colour: string): [number, number, number, number] {
  colourParser ??= document.createElement('canvas').getContext('2d');
  if (!colourParser) return [0, 0, 0, 1];
  colourParser.fillStyle = '#000000';
  colourParser.fillStyle = colour;
  const normalised = String(colourParser.fillStyle);
  if (normalised.startsWith('#')) {
    return [1, 3, 5].map((at) => Number.parseInt(normalised.slice(at, at + 2), 16)).concat(1) as [number, number, number, number];
  }
  const [red, green, blue, alpha = 1] = normalised.replace(/^rgba?\(|\)$/g, '').split(',').map((p) => Number.parseFloat(p));
  return [red, green, blue, alpha];
}

/** Any CSS colour with its alpha multiplied by `alpha`. */
export function withAlpha(colour: string, alpha: number): string {
  colourParser ??= document.createElement('canvas').getContext('2d');
  if (!colourParser) return colour;
  const [red, green, blue, ownAlpha] = rgbaOf(colour);
  return `rgba(${red}, ${green}, ${blue}, ${+(alpha * ownAlpha).toFixed(3)})`;
}

/**
 * Calls `onChange` with a fresh palette whenever the theme changes. VS Code swaps the body class
 * (vscode-dark/-light/-high-contrast) and rewrites the variables in <html style>; either triggers
 * one re-read, coalesced into the next animation frame.
 */
export function watchTheme(onChange: (palette: ThemePalette) => void): () => void {
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      onChange(readPalette());
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}
