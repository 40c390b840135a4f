"""PyTorch DDPG reference for comparing learning speed with DDPG Lab on the *same* evaluation.

Mirrors src/agent: Pendulum-v1 (Gymnasium's equations), actor/critic [H, H] ReLU, hidden layers
U(±1/√fan_in), output layers U(±3e-3), Adam(β 0.9/0.999, ε 1e-8), critic step then actor loss
through the updated critic, soft update with tau as the mixing fraction, uniform warm-up actions,
Gaussian noise σ = noise·max_torque, bootstrapping through truncation.

Usage: /usr/bin/python3 bench/reference/ddpg_reference.py --seeds 8 [--starts evalstarts.json]
  --starts: JSON list of 10 [theta, thetadot] evaluation start states (DDPG Lab's, printed by
  `node --import tsx bench/reference/eval-starts.ts`); without it, 10 random starts per evaluation
  drawn from a fixed numpy seed. Prints one JSON line per seed.
"""
import argparse, json, math, time
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
G, MAX_SPEED, MAX_TORQUE, DT = 10.0, 8.0, 2.0, 0.05

def angle_normalize(x):
    return ((x + math.pi) % (2 * math.pi)) - math.pi

def step(state, u):
    th, thdot = state
    u = min(max(u, -MAX_TORQUE), MAX_TORQUE)
    cost = angle_normalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2
    thdot = min(max(thdot + (3 * G / 2 * math.sin(th) + 3.0 * u) * DT, -MAX_SPEED), MAX_SPEED)
    th = th + thdot * DT
    return (th, thdot), -cost

def obs(state):
    return [math.cos(state[0]), math.sin(state[0]), state[1]]

def mlp(inputs, hidden, outputs):
    layers, width = [], inputs
    for h in hidden:
        lin = nn.Linear(width, h)
        b = 1 / math.sqrt(width)
        nn.init.uniform_(lin.weight, -b, b); nn.init.uniform_(lin.bias, -b, b)
        layers += [lin, nn.ReLU()]; width = h
    out = nn.Linear(width, outputs)
    nn.init.uniform_(out.weight, -3e-3, 3e-3); nn.init.uniform_(out.bias, -3e-3, 3e-3)
    return nn.Sequential(*layers, out)

class Actor(nn.Module):
    def __init__(self, h):
        super().__init__(); self.net = mlp(3, h, 1)
    def forward(self, x):
        return torch.tanh(self.net(x)) * MAX_TORQUE

def evaluate(actor, starts):
    returns = []
    with torch.no_grad():
        for s in starts:
            state, total = tuple(s), 0.0
            for _ in range(200):
                a = actor(torch.tensor([obs(state)], dtype=torch.float32)).item()
                state, r = step(state, a); total += r
            returns.append(total)
    return float(np.mean(returns))

def run(seed, args, fixed_starts):
    torch.manual_seed(seed); rng = np.random.default_rng(seed)
    h = [args.hidden, args.hidden]
    actor, critic = Actor(h), mlp(4, h, 1)
    actor_t, critic_t = Actor(h), mlp(4, h, 1)
    actor_t.load_state_dict(actor.state_dict()); critic_t.load_state_dict(critic.state_dict())
    opt_a = torch.optim.Adam(actor.parameters(), lr=1e-3, eps=1e-8)
    opt_c = torch.optim.Adam(critic.parameters(), lr=2e-3, eps=1e-8)
    cap = 50000
    S, A, R, S2 = (np.zeros((cap, 3), np.float32), np.zeros((cap, 1), np.float32),
                   np.zeros((cap, 1), np.float32), np.zeros((cap, 3), np.float32))
    size = pos = 0
    eval_rng = np.random.default_rng(1_000_000)
    t0, steps = time.perf_counter(), 0
    for episode in range(args.episodes):
        state = (rng.uniform(-math.pi, math.pi), rng.uniform(-1, 1))
        for _ in range(200):
            o = obs(state)
            if steps < args.warmup:
                a = rng.uniform(-MAX_TORQUE, MAX_TORQUE)
            else:
                with torch.no_grad():
                    a = actor(torch.tensor([o], dtype=torch.float32)).item()
                a = float(np.clip(a + rng.normal(0, args.noise * MAX_TORQUE), -MAX_TORQUE, MAX_TORQUE))
            state, r = step(state, a); steps += 1
            S[pos], A[pos], R[pos], S2[pos] = o, a, r, obs(state)
            pos = (pos + 1) % cap; size = min(size + 1, cap)
            if steps >= args.warmup and size >= args.batch:
                idx = rng.integers(0, size, args.batch)
                s, a_, r_, s2 = (torch.from_numpy(S[idx]), torch.from_numpy(A[idx]),
                                 torch.from_numpy(R[idx]), torch.from_numpy(S2[idx]))
                with torch.no_grad():
                    y = r_ + 0.99 * critic_t(torch.cat([s2, actor_t(s2)], 1))
                loss_c = ((critic(torch.cat([s, a_], 1)) - y) ** 2).mean()
                opt_c.zero_grad(); loss_c.backward(); opt_c.step()
                loss_a = -critic(torch.cat([s, actor(s)], 1)).mean()
                opt_a.zero_grad(); loss_a.backward(); opt_a.step()
                with torch.no_grad():
                    for net, tgt in ((actor, actor_t), (critic, critic_t)):
                        for p, pt in zip(net.parameters(), tgt.parameters()):
                            pt.mul_(1 - args.tau).add_(args.tau * p)
            if steps % args.eval_every == 0:
                starts = fixed_starts if fixed_starts else [
                    (eval_rng.uniform(-math.pi, math.pi), eval_rng.uniform(-1, 1)) for _ in range(10)]
                mean = evaluate(actor, starts)
                if mean >= -200:
                    return {"seed": seed, "stepsToSolve": steps, "timeToSolveSeconds": time.perf_counter() - t0, "evalMean": mean}
    return {"seed": seed, "stepsToSolve": None, "timeToSolveSeconds": None}

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=8); p.add_argument("--episodes", type=int, default=100)
    p.add_argument("--hidden", type=int, default=64); p.add_argument("--batch", type=int, default=128)
    p.add_argument("--tau", type=float, default=0.01); p.add_argument("--noise", type=float, default=0.1)
    p.add_argument("--warmup", type=int, default=1000); p.add_argument("--eval-every", type=int, default=1000)
    p.add_argument("--starts", type=str, default=None)
    args = p.parse_args()
    fixed = json.load(open(args.starts)) if args.starts else None
    for seed in range(args.seeds):
        print(json.dumps(run(seed, args, fixed)), flush=True)
