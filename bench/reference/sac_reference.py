"""PyTorch SAC reference for comparing DDPG Lab's SAC on the *same* spec and evaluation.

Written to the spec of src/agent/algorithms/sac.ts and src/agent/engine/sacParameters.ts, with
ddpg_reference.py's protocol: Pendulum-v1 (Gymnasium's equations), actor [H, H] ReLU with one
output layer of 2·|A| (mean, then the log-std head, log σ = −5 + 3.5·(tanh(h) + 1)), twin critics
[H, H]; hidden layers U(±1/√fan_in), output layers U(±3e-3); Adam(β 0.9/0.999, ε 1e-8); uniform
warm-up actions; bootstrapping through truncation. One update: soft TD target with the min of the
twin target critics minus α·log π′ (a′ from the online actor), both critics' MSE and an Adam step,
the actor through the updated critics with the reparameterised action, log α's loss
−log α·(log π + target entropy) with that log π held fixed, soft update of both target critics.
log π = Σ (−½ε² − log σ − ½ log 2π − 2(log 2 − u − softplus(−2u))).

Usage:
  /usr/bin/python3 bench/reference/sac_reference.py --seeds 8 [--starts evalstarts.json]
      training runs until the first evaluation ≥ −200; one JSON line per seed. --starts: the 10
      evaluation starts DDPG Lab uses (`node --import tsx bench/reference/eval-starts.ts`).
  /usr/bin/python3 bench/reference/sac_reference.py --update-benchmark --hidden 64 --batch 128
      the median wall and process CPU time of one update (with its noise draws, without replay
      sampling), one JSON line.
Threads: one (torch.set_num_threads(1) and OpenBLAS's own count) unless SAC_REFERENCE_THREADS says otherwise.
"""
import argparse, ctypes, ctypes.util, json, math, os, time

THREADS = int(os.environ.get("SAC_REFERENCE_THREADS", "1"))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(THREADS))
os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(THREADS)
for name in ("openblas", "openblas64_", "openblasp-r0.3.21"):
    path = ctypes.util.find_library(name)
    if path:
        try:
            ctypes.CDLL(path).openblas_set_num_threads(THREADS)
        except (OSError, AttributeError):
            pass

G, MAX_SPEED, MAX_TORQUE, DT = 10.0, 8.0, 2.0, 0.05
LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0
HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


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
    def __init__(self, obs_dim, act_dim, hidden, bound):
        super().__init__()
        self.net, self.act_dim, self.bound = mlp(obs_dim, hidden, 2 * act_dim), act_dim, bound

    def heads(self, x):
        out = self.net(x)
        mean, head = out[:, : self.act_dim], out[:, self.act_dim :]
        return mean, LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (torch.tanh(head) + 1)

    def sample(self, x, eps):
        mean, log_std = self.heads(x)
        u = mean + log_std.exp() * eps
        log_one_minus_tanh2 = 2 * (math.log(2) - u - F.softplus(-2 * u))
        log_prob = (-0.5 * eps ** 2 - log_std - HALF_LOG_TWO_PI - log_one_minus_tanh2).sum(1, keepdim=True)
        return torch.tanh(u) * self.bound, log_prob

    def mean_action(self, x):
        return torch.tanh(self.heads(x)[0]) * self.bound


class Sac:
    def __init__(self, obs_dim, act_dim, hidden, bound, args):
        h = [hidden, hidden]
        self.actor = Actor(obs_dim, act_dim, h, bound)
        self.q1, self.q2 = mlp(obs_dim + act_dim, h, 1), mlp(obs_dim + act_dim, h, 1)
        self.q1_t, self.q2_t = mlp(obs_dim + act_dim, h, 1), mlp(obs_dim + act_dim, h, 1)
        self.q1_t.load_state_dict(self.q1.state_dict()); self.q2_t.load_state_dict(self.q2.state_dict())
        self.log_alpha = torch.tensor([math.log(args.initial_alpha)], requires_grad=True)
        self.opt_actor = torch.optim.Adam(self.actor.parameters(), lr=args.actor_lr, eps=1e-8)
        self.opt_q = torch.optim.Adam(list(self.q1.parameters()) + list(self.q2.parameters()), lr=args.critic_lr, eps=1e-8)
        self.opt_alpha = torch.optim.Adam([self.log_alpha], lr=args.alpha_lr, eps=1e-8)
        self.target_entropy = -float(act_dim)
        self.act_dim, self.gamma, self.tau = act_dim, args.gamma, args.tau

    def update(self, s, a, r, s2, not_done):
        b = s.shape[0]
        eps_next, eps = torch.randn(b, self.act_dim), torch.randn(b, self.act_dim)
        alpha = self.log_alpha.detach().exp()
        with torch.no_grad():
            a2, logp2 = self.actor.sample(s2, eps_next)
            sa2 = torch.cat([s2, a2], 1)
            y = r + self.gamma * not_done * (torch.min(self.q1_t(sa2), self.q2_t(sa2)) - alpha * logp2)
        sa = torch.cat([s, a], 1)
        loss_q = F.mse_loss(self.q1(sa), y) + F.mse_loss(self.q2(sa), y)
        self.opt_q.zero_grad(); loss_q.backward(); self.opt_q.step()
        pi, logp = self.actor.sample(s, eps)
        spi = torch.cat([s, pi], 1)
        loss_pi = (alpha * logp - torch.min(self.q1(spi), self.q2(spi))).mean()
        self.opt_actor.zero_grad(); loss_pi.backward(); self.opt_actor.step()
        loss_alpha = -(self.log_alpha * (logp.detach() + self.target_entropy)).mean()
        self.opt_alpha.zero_grad(); loss_alpha.backward(); self.opt_alpha.step()
        with torch.no_grad():
            for net, tgt in ((self.q1, self.q1_t), (self.q2, self.q2_t)):
                for p, pt in zip(net.parameters(), tgt.parameters()):
                    pt.mul_(1 - self.tau).add_(self.tau * p)


def evaluate(actor, starts):
    returns = []
    with torch.no_grad():
        for s in starts:
            state, total = tuple(s), 0.0
            for _ in range(200):
                a = actor.mean_action(torch.tensor([obs(state)], dtype=torch.float32)).item()
                state, r = step(state, a); total += r
            returns.append(total)
    return float(np.mean(returns))


def run(seed, args, fixed_starts):
    torch.manual_seed(seed); rng = np.random.default_rng(seed)
    agent = Sac(3, 1, args.hidden, MAX_TORQUE, args)
    cap = 50000
    S, A, R, S2 = (np.zeros((cap, 3), np.float32), np.zeros((cap, 1), np.float32),
                   np.zeros((cap, 1), np.float32), np.zeros((cap, 3), np.float32))
    ones = torch.ones(args.batch, 1)
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
                    a = agent.actor.sample(torch.tensor([o], dtype=torch.float32), torch.randn(1, 1))[0].item()
            state, r = step(state, a); steps += 1
            S[pos], A[pos], R[pos], S2[pos] = o, a, r, obs(state)
            pos = (pos + 1) % cap; size = min(size + 1, cap)
            if steps >= args.warmup and size >= args.batch:
                idx = rng.integers(0, size, args.batch)
                # Pendulum never terminates: every target bootstraps (truncation is not termination).
                agent.update(torch.from_numpy(S[idx]), torch.from_numpy(A[idx]), torch.from_numpy(R[idx]), torch.from_numpy(S2[idx]), ones)
            if steps % args.eval_every == 0:
                starts = fixed_starts if fixed_starts else [
                    (eval_rng.uniform(-math.pi, math.pi), eval_rng.uniform(-1, 1)) for _ in range(10)]
                mean = evaluate(agent.actor, starts)
                if mean >= -200:
                    return {"seed": seed, "stepsToSolve": steps, "timeToSolveSeconds": time.perf_counter() - t0, "evalMean": mean}
    return {"seed": seed, "stepsToSolve": None, "timeToSolveSeconds": None}


def bench_update(args):
    """Median ms of one update on a fixed Pendulum-like batch (rounds of back-to-back updates)."""
    torch.manual_seed(1); rng = np.random.default_rng(1)
    agent = Sac(3, 1, args.hidden, MAX_TORQUE, args)
    b = args.batch
    s = torch.from_numpy(np.concatenate([rng.uniform(-1, 1, (b, 2)), rng.uniform(-8, 8, (b, 1))], 1).astype(np.float32))
    s2 = torch.from_numpy(np.concatenate([rng.uniform(-1, 1, (b, 2)), rng.uniform(-8, 8, (b, 1))], 1).astype(np.float32))
    a = torch.from_numpy(rng.uniform(-2, 2, (b, 1)).astype(np.float32))
    r = torch.from_numpy(rng.uniform(-16, 0, (b, 1)).astype(np.float32))
    ones = torch.ones(b, 1)
    warm_end = time.perf_counter() + 0.5
    while time.perf_counter() < warm_end:
        agent.update(s, a, r, s2, ones)
    t = time.perf_counter(); agent.update(s, a, r, s2, ones); single = time.perf_counter() - t
    per_round = max(1, round(0.15 / single))
    times, cpu_times = [], []
    for _ in range(args.rounds):
        t, c = time.perf_counter(), time.process_time()
        for _ in range(per_round):
            agent.update(s, a, r, s2, ones)
        times.append((time.perf_counter() - t) / per_round)
        cpu_times.append((time.process_time() - c) / per_round)
    ms = sorted(times)[len(times) // 2] * 1000
    cpu_ms = sorted(cpu_times)[len(cpu_times) // 2] * 1000
    return {"algorithm": "sac", "engine": "pytorch", "backend": f"pytorch-{torch.__version__}-{THREADS}thread", "hidden": args.hidden,
            "batch": b, "msPerUpdate": round(ms, 4), "msPerStep": round(ms, 4), "cpuMsPerStep": round(cpu_ms, 4)}


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=8); p.add_argument("--first-seed", type=int, default=0)
    p.add_argument("--episodes", type=int, default=100)
    p.add_argument("--hidden", type=int, default=64); p.add_argument("--batch", type=int, default=128)
    p.add_argument("--tau", type=float, default=0.01); p.add_argument("--gamma", type=float, default=0.99)
    p.add_argument("--actor-lr", type=float, default=1e-3); p.add_argument("--critic-lr", type=float, default=2e-3)
    p.add_argument("--alpha-lr", type=float, default=1e-3); p.add_argument("--initial-alpha", type=float, default=1.0)
    p.add_argument("--warmup", type=int, default=1000); p.add_argument("--eval-every", type=int, default=1000)
    p.add_argument("--starts", type=str, default=None)
    p.add_argument("--update-benchmark", action="store_true"); p.add_argument("--rounds", type=int, default=9)
    args = p.parse_args()
    if args.update_benchmark:
        print(json.dumps(bench_update(args)), flush=True)
    else:
        fixed = json.load(open(args.starts)) if args.starts else None
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            print(json.dumps(run(seed, args, fixed)), flush=True)
