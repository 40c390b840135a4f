"""PyTorch TD3 reference for comparing learning speed and update cost with DDPG Lab's TD3.

Written to the same spec as ddpg_reference.py (Pendulum-v1 with Gymnasium's equations, networks
[H, H] ReLU with hidden layers U(+-1/sqrt(fan_in)) and output layers U(+-3e-3), Adam with
beta 0.9/0.999 and eps 1e-8, uniform warm-up actions, Gaussian exploration noise
sigma = noise * max_torque, tau as the mixing fraction, bootstrapping through truncation,
evaluation every 1000 steps on the given starts) and to src/agent/algorithms/td3.ts's TD3:
twin critics; a' = clip(mu'(s') + clip(N(0, target_noise * max_torque), +-noise_clip * max_torque),
+-max_torque); y = r + gamma * min(Q1'(s', a'), Q2'(s', a')); both critics step every update
(one Adam over both, as CleanRL: Adam is elementwise, so this equals one Adam per critic);
counting critic updates from 0, update k also steps the actor (loss -mean Q1(s, mu(s)) through the
updated critic 1) and soft-updates all three targets when k % policy_delay == 0.

Usage:
  /usr/bin/python3 bench/reference/td3_reference.py --seeds 8 --starts evalstarts.json
      time to solve: one JSON line per seed (starts: `node --import tsx bench/reference/eval-starts.ts`)
  /usr/bin/python3 bench/reference/td3_reference.py --update-benchmark --hidden 64 --batch 128
      update cost per env step (one critic update, an actor update every policy_delay), one JSON line
Threads are capped at one (torch and OpenBLAS) unless --threads says otherwise.
"""
import argparse, ctypes, json, math, os, statistics, sys, time

THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(THREADS)

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(THREADS)
try:
    ctypes.CDLL("libopenblas.so.0").openblas_set_num_threads(THREADS)
except (OSError, AttributeError):
    pass

G, MAX_SPEED, MAX_TORQUE, DT = 10.0, 8.0, 2.0, 0.05


def angle_normalize(x):
    return ((x + math.pi) % (2 * math.pi)) - math.pi


def step(state, u):
    th, thdot = state
    u = min(max(u, -MAX_TORQUE), MAX_TORQUE)
    cost = angle_normalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2
    thdot = min(max(thdot + (3 * G / 2 * math.sin(th) + 3.0 * u) * DT, -MAX_SPEED), MAX_SPEED)
    return (th + thdot * DT, thdot), -cost


def obs(state):
    return [math.cos(state[0]), math.sin(state[0]), state[1]]


def mlp(inputs, hidden, outputs):
    layers, width = [], inputs
    for h in hidden:
        lin = nn.Linear(width, h)
        bound = 1 / math.sqrt(width)
        nn.init.uniform_(lin.weight, -bound, bound)
        nn.init.uniform_(lin.bias, -bound, bound)
        layers += [lin, nn.ReLU()]
        width = h
    out = nn.Linear(width, outputs)
    nn.init.uniform_(out.weight, -3e-3, 3e-3)
    nn.init.uniform_(out.bias, -3e-3, 3e-3)
    return nn.Sequential(*layers, out)


class Actor(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.net = mlp(3, hidden, 1)

    def forward(self, x):
        return torch.tanh(self.net(x)) * MAX_TORQUE


class Td3:
    """Networks, optimizers and the update; the policy-delay counter counts critic updates."""

    def __init__(self, args):
        h = [args.hidden, args.hidden]
        self.args = args
        self.actor, self.critic1, self.critic2 = Actor(h), mlp(4, h, 1), mlp(4, h, 1)
        self.actor_t, self.critic1_t, self.critic2_t = Actor(h), mlp(4, h, 1), mlp(4, h, 1)
        for net, target in self.pairs():
            target.load_state_dict(net.state_dict())
        self.opt_actor = torch.optim.Adam(self.actor.parameters(), lr=args.actor_lr, eps=1e-8)
        self.opt_critics = torch.optim.Adam(list(self.critic1.parameters()) + list(self.critic2.parameters()), lr=args.critic_lr, eps=1e-8)
        self.critic_updates = 0

    def pairs(self):
        return ((self.actor, self.actor_t), (self.critic1, self.critic1_t), (self.critic2, self.critic2_t))

    def update(self, s, a, r, s2):
        args = self.args
        with torch.no_grad():
            noise = (torch.randn_like(a) * args.target_noise * MAX_TORQUE).clamp(-args.noise_clip * MAX_TORQUE, args.noise_clip * MAX_TORQUE)
            a2 = (self.actor_t(s2) + noise).clamp(-MAX_TORQUE, MAX_TORQUE)
            s2a2 = torch.cat([s2, a2], 1)
            y = r + 0.99 * torch.min(self.critic1_t(s2a2), self.critic2_t(s2a2))
        sa = torch.cat([s, a], 1)
        loss = ((self.critic1(sa) - y) ** 2).mean() + ((self.critic2(sa) - y) ** 2).mean()
        self.opt_critics.zero_grad()
        loss.backward()
        self.opt_critics.step()
        steps_actor = self.critic_updates % args.policy_delay == 0
        self.critic_updates += 1
        if not steps_actor:
            return
        loss_actor = -self.critic1(torch.cat([s, self.actor(s)], 1)).mean()
        self.opt_actor.zero_grad()
        loss_actor.backward()
        self.opt_actor.step()
        with torch.no_grad():
            for net, target in self.pairs():
                for p, pt in zip(net.parameters(), target.parameters()):
                    pt.mul_(1 - args.tau).add_(args.tau * p)


def evaluate(actor, starts):
    returns = []
    with torch.no_grad():
        for start in starts:
            state, total = tuple(start), 0.0
            for _ in range(200):
                action = actor(torch.tensor([obs(state)], dtype=torch.float32)).item()
                state, reward = step(state, action)
                total += reward
            returns.append(total)
    return float(np.mean(returns))


def run(seed, args, fixed_starts):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    agent = Td3(args)
    cap = 50000
    S, A, R, S2 = (np.zeros((cap, 3), np.float32), np.zeros((cap, 1), np.float32), np.zeros((cap, 1), np.float32), np.zeros((cap, 3), np.float32))
    size = pos = 0
    eval_rng = np.random.default_rng(1_000_000)
    t0, c0, steps = time.perf_counter(), time.process_time(), 0
    for _episode in range(args.episodes):
        state = (rng.uniform(-math.pi, math.pi), rng.uniform(-1, 1))
        for _ in range(200):
            o = obs(state)
            if steps < args.warmup:
                a = rng.uniform(-MAX_TORQUE, MAX_TORQUE)
            else:
                with torch.no_grad():
                    a = agent.actor(torch.tensor([o], dtype=torch.float32)).item()
                a = float(np.clip(a + rng.normal(0, args.noise * MAX_TORQUE), -MAX_TORQUE, MAX_TORQUE))
            state, r = step(state, a)
            steps += 1
            S[pos], A[pos], R[pos], S2[pos] = o, a, r, obs(state)
            pos = (pos + 1) % cap
            size = min(size + 1, cap)
            if steps >= args.warmup and size >= args.batch:
                idx = rng.integers(0, size, args.batch)
                agent.update(torch.from_numpy(S[idx]), torch.from_numpy(A[idx]), torch.from_numpy(R[idx]), torch.from_numpy(S2[idx]))
            if steps % args.eval_every == 0:
                starts = fixed_starts if fixed_starts else [(eval_rng.uniform(-math.pi, math.pi), eval_rng.uniform(-1, 1)) for _ in range(10)]
                mean = evaluate(agent.actor, starts)
                if mean >= -200:
                    return {"seed": seed, "stepsToSolve": steps, "timeToSolveSeconds": time.perf_counter() - t0, "cpuSecondsToSolve": time.process_time() - c0, "evalMean": mean}
    return {"seed": seed, "stepsToSolve": None, "timeToSolveSeconds": None}


def update_benchmark(args):
    """Median wall and CPU time per env step over rounds of back-to-back updates on a fixed batch."""
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    agent = Td3(args)
    b = args.batch
    s = torch.from_numpy(np.column_stack([rng.uniform(-1, 1, (b, 2)), rng.uniform(-8, 8, (b, 1))]).astype(np.float32))
    s2 = torch.from_numpy(np.column_stack([rng.uniform(-1, 1, (b, 2)), rng.uniform(-8, 8, (b, 1))]).astype(np.float32))
    a = torch.from_numpy(rng.uniform(-MAX_TORQUE, MAX_TORQUE, (b, 1)).astype(np.float32))
    r = torch.from_numpy(rng.uniform(-16, 0, (b, 1)).astype(np.float32))
    cycle = args.policy_delay
    warm_end = time.perf_counter() + 0.5
    while time.perf_counter() < warm_end:
        agent.update(s, a, r, s2)
    started = time.perf_counter()
    for _ in range(cycle):
        agent.update(s, a, r, s2)
    per_cycle = (time.perf_counter() - started) / cycle
    cycles_per_round = max(1, round(0.15 / (per_cycle * cycle)))
    walls, cpus = [], []
    for _ in range(args.rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(cycles_per_round * cycle):
            agent.update(s, a, r, s2)
        n = cycles_per_round * cycle
        walls.append((time.perf_counter() - wall) / n)
        cpus.append((time.process_time() - cpu) / n)
    return {
        "algorithm": "td3", "engine": "pytorch", "backend": f"torch-{torch.__version__}-{THREADS}thread{'s' if THREADS > 1 else ''}",
        "hidden": args.hidden, "batch": b, "policyDelay": cycle,
        "msPerStep": round(statistics.median(walls) * 1000, 4), "cpuMsPerStep": round(statistics.median(cpus) * 1000, 4),
    }


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=8)
    p.add_argument("--first-seed", type=int, default=0)
    p.add_argument("--episodes", type=int, default=100)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--tau", type=float, default=0.01)
    p.add_argument("--noise", type=float, default=0.1)
    p.add_argument("--actor-lr", type=float, default=1e-3)
    p.add_argument("--critic-lr", type=float, default=2e-3)
    p.add_argument("--policy-delay", type=int, default=2)
    p.add_argument("--target-noise", type=float, default=0.2)
    p.add_argument("--noise-clip", type=float, default=0.5)
    p.add_argument("--warmup", type=int, default=1000)
    p.add_argument("--eval-every", type=int, default=1000)
    p.add_argument("--starts", type=str, default=None)
    p.add_argument("--update-benchmark", action="store_true")
    p.add_argument("--rounds", type=int, default=9)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    if args.update_benchmark:
        print(json.dumps(update_benchmark(args)), flush=True)
    else:
        fixed = json.load(open(args.starts)) if args.starts else None
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            print(json.dumps(run(seed, args, fixed)), flush=True)
