// Prints DDPG Lab's evaluation start states [theta, thetaDot] as JSON, for ddpg_reference.py.
// Usage: node --import tsx bench/reference/eval-starts.ts [episodes=10]
import { evaluationStart } from '../../src/agent/evaluation';

const episodes = Number(process.argv[2] ?? 10);
const starts = Array.from({ length: episodes }, (_, e) => evaluationStart(e, episodes));
process.stdout.write(JSON.stringify(starts) + '\n');
