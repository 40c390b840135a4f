/**
 * A renderer kind whose code is a script of its own (rendererScripts.ts). The card gets a renderer
 * at once and plays on as usual: until the script has run, this one says the view is loading and
 * keeps what it is told (the run, the size, the theme, the last frame), then hands all of it to the
 * real renderer on the same canvas. If the script cannot be loaded it says so, instead of leaving
 * the stage blank.
 *
 * Tests read the state from the canvas's data-renderer-script: loading, loaded or failed.
 */

import type { ThemePalette } from '../theme';
import type { EnvironmentRenderer, PlayedFrame, RendererDefinition, RendererOutline, RendererSetup } from './environmentRenderer';
import { loadedRenderer, loadRendererScript } from './rendererScripts';

export interface SeparateScript {
  /** The script's file, beside the dashboard's in dist/. */
  file: string;
  /** What the renderer shows, as the notes name it: "the 3D view". */
  view: string;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The registry's entry for a renderer kind that comes in `script`. */
export function loadedSeparately(outline: RendererOutline, script: SeparateScript): RendererDefinition {
  return {
    ...outline,
    create: (canvas, palette, setup) => {
      const definition = loadedRenderer(script.file);
      if (definition) {
        canvas.dataset.rendererScript = 'loaded';
        return definition.create(canvas, palette, setup);
      }
      return new LoadingRenderer(canvas, palette, setup, script, loadRendererScript(outline.kind, script.file));
    },
  };
}

class LoadingRenderer implements EnvironmentRenderer {
  private real: EnvironmentRenderer | null = null;
  private disposed = false;
  private size: { widthCss: number; heightCss: number; pixelRatio: number } | null = null;
  private lastFrame: PlayedFrame | null = null;
  /** Said over the empty canvas, as text a screen reader and a test can read. */
  private readonly note = document.createElement('p');

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private palette: ThemePalette,
    private setup: RendererSetup,
    script: SeparateScript,
    definition: Promise<RendererDefinition>,
  ) {
    this.note.dataset.testid = 'renderer-note';
    // Set through the CSSOM, which the webview's style-src policy allows (a style attribute it would not).
    Object.assign(this.note.style, {
      position: 'absolute', left: '0', right: '0', top: '50%', transform: 'translateY(-50%)', margin: '0', padding: '0 16px',
      textAlign: 'center', pointerEvents: 'none', color: palette.foreground,
    });
    this.note.textContent = `Loading ${script.view}\u2026`;
    canvas.after(this.note);
    canvas.dataset.rendererScript = 'loading';
    void definition.then(
      (loaded) => this.takeOver(loaded),
      (error: unknown) => {
        if (this.disposed) return;
        canvas.dataset.rendererScript = 'failed';
        this.note.textContent = `${capitalised(script.view)} could not be loaded, so this run cannot be drawn here. The curves and the status still update.`;
        // Rethrown on purpose: left unhandled, the page's error reporting (errorReporting.ts)
        // tells the host, whose log then says which script is missing or broken.
        throw error;
      },
    );
  }

  configure(setup: RendererSetup): void {
    this.setup = setup;
    this.real?.configure(setup);
  }

  draw(frame: PlayedFrame | null): void {
    this.lastFrame = frame;
    this.real?.draw(frame);
  }

  resize(widthCss: number, heightCss: number, pixelRatio: number): boolean {
    this.size = { widthCss, heightCss, pixelRatio };
    return this.real?.resize(widthCss, heightCss, pixelRatio) ?? false;
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.note.style.color = palette.foreground;
    this.real?.setPalette(palette);
  }

  dispose(): void {
    this.disposed = true;
    this.real?.dispose();
    this.note.remove();
  }

  private takeOver(definition: RendererDefinition): void {
    if (this.disposed) return;
    this.note.remove();
    this.canvas.dataset.rendererScript = 'loaded';
    const real = definition.create(this.canvas, this.palette, this.setup);
    this.real = real;
    if (this.size) real.resize(this.size.widthCss, this.size.heightCss, this.size.pixelRatio);
    real.draw(this.lastFrame);
  }
}
