/**
 * What a renderer of one kind of environment does, and what it is given. The environment card
 * (environmentPanel.ts) owns everything every environment shares — the queue, real-time
 * playback, the caption, the speed control, reduced motion — and hands a renderer one played
 * frame at a time; the renderer only draws.
 */

import type { EnvironmentDescriptor } from '../../src/shared/environments';
import type { MujocoScene } from '../../src/shared/mujocoScene';
import type { ThemePalette } from '../theme';
import type { FramePhase } from './frameQueue';

export type RendererKind = EnvironmentDescriptor['renderer'];

/** One step as it is drawn. */
export interface PlayedFrame {
  /**
   * The environment's frame() numbers for this step (descriptor.frameLabels says what they are),
   * moved part of the way toward the next step's for smooth motion.
   */
  values: ArrayLike<number>;
  episode: number;
  /** Step within the episode, 0-based. */
  step: number;
  phase: FramePhase;
  /** False on the first frame after a jump or a new episode: motion trails restart there. */
  continuous: boolean;
  /** The canvas's heading for the episode ("Training episode 812", "Evaluation · start 3/10"); "Episode N" without it. */
  title?: string;
  /** The pill's text: the phase, or the run's final state once it ended ("FINISHED"). */
  badge?: string;
}

/** The run a renderer draws for: its environment, and the time limit it actually uses. */
export interface RendererSetup {
  environment: EnvironmentDescriptor;
  /** Steps per episode, shown as "step k / N". */
  maxEpisodeSteps: number;
  /** A MuJoCo run's bodies and geoms, once its trainer sent them (the 3D renderer builds its scene from them). */
  scene?: MujocoScene | null;
  /**
   * The run has ended without a scene reaching the page (its folder has none, or a damaged one):
   * none will come, and the 3D view says so rather than staying an empty box.
   */
  sceneMissing?: boolean;
}

/**
 * Reduced motion needs nothing from a renderer beyond this contract: it draws when `draw` is
 * called and never animates on its own (no timers, no requestAnimationFrame), so the card can
 * hold it to one still pose a second.
 */
export interface EnvironmentRenderer {
  /** For another run: labels, units, limits. Takes effect at the next draw. */
  configure(setup: RendererSetup): void;
  /** Draws the frame, or a faded resting scene when there is nothing to play. */
  draw(frame: PlayedFrame | null): void;
  /** Matches the canvas to its CSS size; true when it changed (the caller then redraws). */
  resize(widthCss: number, heightCss: number, pixelRatio: number): boolean;
  /** Another theme; takes effect at the next draw. */
  setPalette(palette: ThemePalette): void;
  /** Lets go of whatever the renderer holds; the card removes its canvas. */
  dispose(): void;
}

/**
 * How one number of a frame moves between two steps: 'angle' the short way round the circle,
 * 'linear' straight, 'hold' not at all (an action stays what it was for the whole step).
 */
export type FrameBlend = 'angle' | 'linear' | 'hold';

/** A renderer kind, as the registry knows it. */
export interface RendererDefinition {
  kind: RendererKind;
  /** The canvas's data-testid. */
  canvasTestId: string;
  /** How each frame number is blended between steps, in frameLabels order. */
  blend: readonly FrameBlend[];
  /** For a kind whose frame layout differs by environment (MuJoCo: poses, then actions): the blend of that environment's frames. */
  blendFor?(environment: EnvironmentDescriptor): readonly FrameBlend[];
  /**
   * What the caption says the canvas shows while nothing plays, where the picture needs a word
   * (the 3D view: the model at its starting pose, or that there is no model to draw); null or
   * absent when it speaks for itself (a faded pendulum). Known before the renderer's script is.
   */
  restingNote?(setup: RendererSetup): string | null;
  create(canvas: HTMLCanvasElement, palette: ThemePalette, setup: RendererSetup): EnvironmentRenderer;
}

/** What the environment card needs of a renderer kind before the renderer's code is there: all but `create`. */
export type RendererOutline = Omit<RendererDefinition, 'create'>;
