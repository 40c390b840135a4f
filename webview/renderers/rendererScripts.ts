/**
 * Renderers that come in a script of their own: three.js is most of the dashboard's code and only
 * MuJoCo runs draw with it, so a Pendulum dashboard should not download and parse it. The
 * dashboard adds a <script> beside its own (same folder, so the webview's localResourceRoots
 * already allow it), with its own script's nonce; the script, once run, hands its renderer over
 * through an event on the document.
 *
 * A script element rather than an ES module's import(): the page's CSP admits scripts by nonce
 * only, and a nonce on an element is honoured everywhere, whereas whether an import() inherits
 * its importer's nonce is still argued over (w3c/webappsec-csp#243), and a module would need CORS
 * headers from whatever serves the webview's resources (VS Code's service worker, code-server).
 */

import type { RendererDefinition, RendererKind } from './environmentRenderer';

const HANDOVER_EVENT = 'ddpg-lab-renderer';

/**
 * The dashboard's own script, read while it runs (document.currentScript is null after that):
 * where the others are, and the nonce that lets them run.
 */
const pageScript = typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;

const loading = new Map<string, Promise<RendererDefinition>>();
const loaded = new Map<string, RendererDefinition>();

/** Called by a separately bundled renderer's script when it runs. */
export function handOverRenderer(definition: RendererDefinition): void {
  document.dispatchEvent(new CustomEvent<RendererDefinition>(HANDOVER_EVENT, { detail: definition }));
}

/** The renderer a script handed over, if it has already run. */
export function loadedRenderer(file: string): RendererDefinition | undefined {
  return loaded.get(file);
}

/** Runs the script `file` (beside the dashboard's) once; a failed load is tried again by the next caller. */
export function loadRendererScript(kind: RendererKind, file: string): Promise<RendererDefinition> {
  let load = loading.get(file);
  if (!load) {
    load = runScript(kind, file).then(
      (definition) => {
        loaded.set(file, definition);
        return definition;
      },
      (error: unknown) => {
        loading.delete(file);
        throw error;
      },
    );
    loading.set(file, load);
  }
  return load;
}

function runScript(kind: RendererKind, file: string): Promise<RendererDefinition> {
  return new Promise((resolve, reject) => {
    if (!pageScript?.src) {
      reject(new Error(`${file} cannot be found: the dashboard does not know where its own script came from`));
      return;
    }
    let handedOver: RendererDefinition | null = null;
    const receive = (event: Event) => {
      const definition = (event as CustomEvent<RendererDefinition>).detail;
      if (definition.kind === kind) handedOver = definition;
    };
    const script = document.createElement('script');
    script.src = new URL(file, pageScript.src).href;
    script.nonce = pageScript.nonce ?? '';
    // `load` fires after the script has run, so by then it has handed its renderer over or never will.
    script.addEventListener('load', () => {
      document.removeEventListener(HANDOVER_EVENT, receive);
      if (handedOver) resolve(handedOver);
      else reject(new Error(`${file} ran but handed over no ${kind} renderer`));
    });
    script.addEventListener('error', () => {
      document.removeEventListener(HANDOVER_EVENT, receive);
      script.remove();
      reject(new Error(`${file} did not load`));
    });
    document.addEventListener(HANDOVER_EVENT, receive);
    document.head.append(script);
  });
}
