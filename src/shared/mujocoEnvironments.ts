/**
 * The descriptors of Gymnasium's MuJoCo environments (v5, default arguments), as data; environments.ts
 * adds them to ENVIRONMENTS, which checks them against EnvironmentDescriptor. Sizes, time steps,
 * limits and thresholds are Gymnasium's (gymnasium/envs/mujoco/*_v5.py, the registrations in
 * gymnasium/envs/__init__.py, the model files); test/unit/mujocoDescriptors.test.ts checks them
 * against the compiled models.
 */

/**
 * The default camera config a v5 class passes (its DEFAULT_CAMERA_CONFIG: trackbodyid, distance,
 * lookat, elevation); a field it leaves out is MuJoCo's free-camera default (lookat at the median of
 * the geoms' positions, distance = the model's extent).
 */
export interface MujocoCamera {
  trackBody?: number;
  distance?: number;
  lookat?: readonly [number, number, number];
  /** Degrees; negative looks down. */
  elevation?: number;
}

export interface MujocoModelDescriptor {
  /** Gymnasium's model file (vendored in src/agent/env/mujoco/assets/). */
  modelFile: string;
  /** The model's body names from body 1 on (body 0 is the world), '' where the model names none: the frame's layout. */
  bodies: readonly string[];
  camera: MujocoCamera;
}

/** Numbers per moving body in a MuJoCo frame(): position x, y, z, then orientation quaternion w, x, y, z (MuJoCo's xpos, xquat). */
export const MUJOCO_POSE_FIELDS = ['x', 'y', 'z', 'qw', 'qx', 'qy', 'qz'] as const;

/** frame() of a MuJoCo environment: each moving body's pose (MUJOCO_POSE_FIELDS), then the action's components. */
export function mujocoFrameLabels(bodies: readonly string[], actionSize: number): string[] {
  const poses = bodies.flatMap((body, i) => MUJOCO_POSE_FIELDS.map((field) => `${body || `body${i + 1}`}.${field}`));
  return [...poses, ...Array.from({ length: actionSize }, (_, i) => `action ${i}`)];
}

function withVelocities(positions: readonly string[], velocities: readonly string[]): string[] {
  return [...positions, ...velocities.map((joint) => `${joint} velocity`)];
}

const PLANAR_ROOT = ['rootx', 'rootz', 'rooty'];
const HALF_CHEETAH_JOINTS = [...PLANAR_ROOT, 'bthigh', 'bshin', 'bfoot', 'fthigh', 'fshin', 'ffoot'];
const HOPPER_JOINTS = [...PLANAR_ROOT, 'thigh_joint', 'leg_joint', 'foot_joint'];
const WALKER_JOINTS = [...HOPPER_JOINTS, 'thigh_left_joint', 'leg_left_joint', 'foot_left_joint'];
const SWIMMER_JOINTS = ['slider1', 'slider2', 'free_body_rot', 'motor1_rot', 'motor2_rot'];
const ANT_BODIES = ['torso', 'front_left_leg', 'aux_1', '', 'front_right_leg', 'aux_2', '', 'back_leg', 'aux_3', '', 'right_back_leg', 'aux_4', ''];
const ANT_HINGES = ['hip_1', 'ankle_1', 'hip_2', 'ankle_2', 'hip_3', 'ankle_3', 'hip_4', 'ankle_4'];
const ANT_POSITIONS = ['torso z', 'torso qw', 'torso qx', 'torso qy', 'torso qz', ...ANT_HINGES];
const ANT_VELOCITIES = ['torso vx', 'torso vy', 'torso vz', 'torso wx', 'torso wy', 'torso wz', ...ANT_HINGES.map((joint) => `${joint} velocity`)];
/** cfrc_ext rows are [torque x, y, z, force x, y, z] (MuJoCo's spatial force order). */
const CONTACT_FORCE_FIELDS = ['τx', 'τy', 'τz', 'fx', 'fy', 'fz'];
const ANT_CONTACT_FORCES = ANT_BODIES.flatMap((body, i) => CONTACT_FORCE_FIELDS.map((field) => `${body || `body${i + 1}`} cfrc_ext ${field}`));

const COMMON = {
  actionLow: -1,
  actionHigh: 1,
  actionName: 'torque',
  actionUnit: '',
  maxEpisodeSteps: 1000,
  renderer: 'mujoco',
  options: [],
} as const;

const IP_BODIES = ['cart', 'pole'];
const IDP_BODIES = ['cart', 'pole', 'pole2'];
const HALF_CHEETAH_BODIES = ['torso', 'bthigh', 'bshin', 'bfoot', 'fthigh', 'fshin', 'ffoot'];
const HOPPER_BODIES = ['torso', 'thigh', 'leg', 'foot'];
const WALKER_BODIES = [...HOPPER_BODIES, 'thigh_left', 'leg_left', 'foot_left'];
const REACHER_BODIES = ['body0', 'body1', 'fingertip', 'target'];
const SWIMMER_BODIES = ['torso', 'mid', 'back'];

export const MUJOCO_ENVIRONMENTS = {
  'InvertedPendulum-v5': {
    ...COMMON,
    id: 'InvertedPendulum-v5',
    title: 'Inverted Pendulum (MuJoCo)',
    summary: 'Balance a pole on a cart (Gymnasium InvertedPendulum-v5 on MuJoCo; 4 observations, 1 force).',
    observationSize: 4,
    observationLabels: ['cart position', 'pole angle', 'cart velocity', 'pole angular velocity'],
    actionSize: 1,
    actionLow: -3,
    actionHigh: 3,
    actionName: 'force',
    dt: 0.04,
    canTerminate: true,
    solved: { threshold: 950, source: 'gymnasium' },
    frameLabels: mujocoFrameLabels(IP_BODIES, 1),
    mujoco: { modelFile: 'inverted_pendulum.xml', bodies: IP_BODIES, camera: { trackBody: 0, distance: 2.04 } },
  },
  'InvertedDoublePendulum-v5': {
    ...COMMON,
    id: 'InvertedDoublePendulum-v5',
    title: 'Inverted Double Pendulum (MuJoCo)',
    summary: 'Balance two poles, one on the other, on a cart (Gymnasium InvertedDoublePendulum-v5 on MuJoCo; 9 observations, 1 force).',
    observationSize: 9,
    observationLabels: ['cart position', 'sin hinge', 'sin hinge2', 'cos hinge', 'cos hinge2', 'cart velocity', 'hinge velocity', 'hinge2 velocity', 'cart constraint force'],
    actionSize: 1,
    actionName: 'force',
    dt: 0.05,
    canTerminate: true,
    solved: { threshold: 9100, source: 'gymnasium' },
    frameLabels: mujocoFrameLabels(IDP_BODIES, 1),
    // v5 passes default_camera_config=None (its DEFAULT_CAMERA_CONFIG is unused): MuJoCo's free camera.
    mujoco: { modelFile: 'inverted_double_pendulum.xml', bodies: IDP_BODIES, camera: {} },
  },
  'HalfCheetah-v5': {
    ...COMMON,
    id: 'HalfCheetah-v5',
    title: 'Half Cheetah (MuJoCo)',
    summary: 'Make a planar two-legged cheetah run forward (Gymnasium HalfCheetah-v5 on MuJoCo; 17 observations, 6 torques).',
    observationSize: 17,
    observationLabels: withVelocities(HALF_CHEETAH_JOINTS.slice(1), HALF_CHEETAH_JOINTS),
    actionSize: 6,
    dt: 0.05,
    canTerminate: false,
    solved: { threshold: 4800, source: 'gymnasium' },
    frameLabels: mujocoFrameLabels(HALF_CHEETAH_BODIES, 6),
    mujoco: { modelFile: 'half_cheetah.xml', bodies: HALF_CHEETAH_BODIES, camera: { distance: 4 } },
  },
  'Hopper-v5': {
    ...COMMON,
    id: 'Hopper-v5',
    title: 'Hopper (MuJoCo)',
    summary: 'Make a one-legged planar robot hop forward without falling (Gymnasium Hopper-v5 on MuJoCo; 11 observations, 3 torques).',
    observationSize: 11,
    observationLabels: withVelocities(HOPPER_JOINTS.slice(1), HOPPER_JOINTS),
    actionSize: 3,
    dt: 0.008,
    canTerminate: true,
    solved: { threshold: 3800, source: 'gymnasium' },
    frameLabels: mujocoFrameLabels(HOPPER_BODIES, 3),
    mujoco: { modelFile: 'hopper.xml', bodies: HOPPER_BODIES, camera: { trackBody: 2, distance: 3, lookat: [0, 0, 1.15], elevation: -20 } },
  },
  'Walker2d-v5': {
    ...COMMON,
    id: 'Walker2d-v5',
    title: 'Walker2d (MuJoCo)',
    summary: 'Make a two-legged planar robot walk forward without falling (Gymnasium Walker2d-v5 on MuJoCo; 17 observations, 6 torques).',
    observationSize: 17,
    observationLabels: withVelocities(WALKER_JOINTS.slice(1), WALKER_JOINTS),
    actionSize: 6,
    dt: 0.008,
    canTerminate: true,
    // Gymnasium registers Walker2d-v5 without a reward_threshold; 3000 is this project's.
    solved: { threshold: 3000, source: 'ddpg-lab' },
    frameLabels: mujocoFrameLabels(WALKER_BODIES, 6),
    mujoco: { modelFile: 'walker2d_v5.xml', bodies: WALKER_BODIES, camera: { trackBody: 2, distance: 4, lookat: [0, 0, 1.15], elevation: -20 } },
  },
  'Reacher-v5': {
    ...COMMON,
    id: 'Reacher-v5',
    title: 'Reacher (MuJoCo)',
    summary: 'Move a two-joint arm\'s fingertip to a random target (Gymnasium Reacher-v5 on MuJoCo; 10 observations, 2 torques).',
    observationSize: 10,
    observationLabels: ['cos joint0', 'cos joint1', 'sin joint0', 'sin joint1', 'target x', 'target y', 'joint0 velocity', 'joint1 velocity', 'fingertip − target x', 'fingertip − target y'],
    actionSize: 2,
    dt: 0.02,
    maxEpisodeSteps: 50,
    canTerminate: false,
    solved: { threshold: -3.75, source: 'gymnasium' },
    frameLabels: mujocoFrameLabels(REACHER_BODIES, 2),
    mujoco: { modelFile: 'reacher.xml', bodies: REACHER_BODIES, camera: { trackBody: 0 } },
  },
  'Swimmer-v5': {
    ...COMMON,
    id: 'Swimmer-v5',
    title: 'Swimmer (MuJoCo)',
    summary: 'Make a three-segment swimmer move forward through a viscous fluid (Gymnasium Swimmer-v5 on MuJoCo; 8 observations, 2 torques).',
    observationSize: 8,
    observationLabels: withVelocities(SWIMMER_JOINTS.slice(2), SWIMMER_JOINTS),
    actionSize: 2,
    dt: 0.04,
    canTerminate: false,
    solved: { threshold: 360, source: 'gymnasium' },
    frameLabels: mujocoFrameLabels(SWIMMER_BODIES, 2),
    mujoco: { modelFile: 'swimmer.xml', bodies: SWIMMER_BODIES, camera: {} },
  },
  'Ant-v5': {
    ...COMMON,
    id: 'Ant-v5',
    title: 'Ant (MuJoCo)',
    summary: 'Make a four-legged ant walk forward (Gymnasium Ant-v5 on MuJoCo; 105 observations including contact forces, 8 torques).',
    observationSize: 105,
    observationLabels: [...ANT_POSITIONS, ...ANT_VELOCITIES, ...ANT_CONTACT_FORCES],
    actionSize: 8,
    dt: 0.05,
    canTerminate: true,
    solved: { threshold: 6000, source: 'gymnasium' },
    frameLabels: mujocoFrameLabels(ANT_BODIES, 8),
    mujoco: { modelFile: 'ant.xml', bodies: ANT_BODIES, camera: { distance: 4 } },
  },
} as const;

export type MujocoEnvironmentId = keyof typeof MUJOCO_ENVIRONMENTS;
