/**
 * The entry point of dist/webview-mujoco.js: the 3D renderer with three.js, a script of its own
 * that the dashboard loads only when a run's environment is a MuJoCo one (registry.ts). Running
 * it hands the renderer over to the dashboard's page.
 */

import { handOverRenderer } from '../rendererScripts';
import { MUJOCO_RENDERER } from './mujocoRenderer';

handOverRenderer(MUJOCO_RENDERER);
