// Prints DDPG Lab's Pendulum-v1 evaluation start states [theta, thetaDot] as JSON, for ddpg_reference.py.
// Usage: node --import tsx bench/reference/eval-starts.ts [episodes=10]
import { makeEnv } from '../../src/agent/env/index';

const episodes = Number(process.argv[2] ?? 10);
const env = makeEnv('Pendulum-v1');
const starts = Array.from({ length: episodes }, (_, e) => {
  env.resetToEvaluationStart(e, episodes);
  return [env.state.theta, env.state.thetaDot];
});
process.stdout.write(JSON.stringify(starts) + '\n');
