#!/usr/bin/env python3
"""PyTorch *eager* reference benchmark for the GradientGuidance Swift code.

What it measures (float32, CPU, `torch.set_num_threads(--threads)`):

  1. One "G_loss round" of guided DDPM ancestral sampling with the ε-network
     "mlp-512x4" (D = 64), cosine schedule (T = 200, s = 0.008, β clipped at
     0.999), B = 32 samples, t = T..1.  Each step does exactly ONE forward pass
     of the network (with autograd on x) and ONE backward pass (the input VJP
     v = (∂x̂₀/∂x)ᵀ g), like the Swift implementation:

         ε̂   = net(x, t)                     x̂₀ = (x − √hₜ ε̂)/αₜ
         r   = y − ⟨x̂₀, g⟩   (per sample)      v  = (∂x̂₀/∂x)ᵀ g   (one autograd.grad)
         βₜ  = (αₜ²/2)/(αₜ²σ² + hₜ‖v‖²), σ = 0.1   (per sample; "code" β rule)
         G   = 2 βₜ r v                       (= −βₜ ∂(Σ r²)/∂x)
         ε̃   = ε̂ − √hₜ G                     x̂₀' = (x − √hₜ ε̃)/αₜ
         x   ← c₁ x̂₀' + c₂ x + √β̃ₜ z          (no noise at t = 1)

     with αₜ = √ᾱₜ, hₜ = 1 − ᾱₜ, c₁ = βₜ√ᾱₜ₋₁/(1−ᾱₜ), c₂ = (1−ᾱₜ₋₁)√(1−βₜ)/(1−ᾱₜ),
     β̃ₜ = βₜ(1−ᾱₜ₋₁)/(1−ᾱₜ) (βₜ here the schedule's).  One warm-up round, then
     the median of --repeats rounds.

  2. Denoising-score-matching training: 65536 points x₀ = A u in R^64
     (u ~ N(0, I₁₆), A 64×16 with orthonormal columns from the QR of a
     Gaussian), batch 32, Adam(lr 1e−4, betas (0.9, 0.99)), per batch
     tᵢ uniform in 1..T, ε ~ N(0, I), xₜ = αₜ x₀ + √hₜ ε,
     loss = MSELoss(net(xₜ, t), ε) (mean reduction), zero_grad/backward/step;
     a fresh index permutation each epoch (no DataLoader).  A few warm-up
     batches (--train-warmup, not counted) then --epochs timed epochs;
     reports ms/batch and the implied time of 20 epochs of 2048 batches
     (the full 65536-point setting, whatever --points was).

The network: input concat(x [B×64], e(t) [B×128]) with the sinusoidal step
embedding f_k = exp(−ln(10000)·k/64), k = 0..63,
e(t) = [sin(t f_0..t f_63), cos(t f_0..t f_63)]; Linear(192→512), SiLU;
3 residual blocks h ← h + SiLU(Linear(512→512)(h)); Linear(512→64).
PyTorch's default nn.Linear init (uniform ±1/√fan_in), as in the Swift code.

How to run (on an otherwise idle machine; the full run is about a minute on 2 cores):

    /work/torch-venv/bin/python ci/pytorch-bench.py --threads 2 --json pytorch-bench.json

Quick smoke test (seconds):

    /work/torch-venv/bin/python ci/pytorch-bench.py --repeats 1 --points 640 --self-check

Options: --threads N (default 2), --repeats N (default 5), --epochs N
(default 1), --points N (default 65536), --train-warmup N (default 10),
--seed N, --skip-sample, --skip-train, --self-check, --json FILE.
"""

import argparse
import json
import math
import platform
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

D = 64            # data dimension
EMB = 128         # time-embedding width
WIDTH = 512       # hidden width
BLOCKS = 3        # residual blocks
T = 200           # diffusion steps
SIGMA = 0.1       # β rule's σ
SUBSPACE = 16     # dimension of the data subspace


# ----------------------------------------------------------------------------------------------
# Schedule and time embedding (computed in float64, used as float32)

def cosine_schedule(steps=T, s=0.008, max_beta=0.999):
    """Returns (beta[0..T], alpha_bar[0..T]) as float64 tensors; beta[0] = 0, alpha_bar[0] = 1."""
    def f(u):
        c = math.cos((u + s) / (1 + s) * math.pi / 2)
        return c * c
    beta = [0.0] + [min(1 - f(t / steps) / f((t - 1) / steps), max_beta) for t in range(1, steps + 1)]
    alpha_bar = [1.0]
    for t in range(1, steps + 1):
        alpha_bar.append(alpha_bar[-1] * (1 - beta[t]))
    return torch.tensor(beta, dtype=torch.float64), torch.tensor(alpha_bar, dtype=torch.float64)


def embedding_table(steps=T):
    """e(t) for t = 0..T, [T+1 × 128] float32 (computed in float64, rounded once)."""
    k = torch.arange(EMB // 2, dtype=torch.float64)
    freq = torch.exp(-math.log(10000.0) * k / (EMB // 2))
    t = torch.arange(steps + 1, dtype=torch.float64)[:, None]
    return torch.cat([torch.sin(t * freq), torch.cos(t * freq)], dim=1).float()


# ----------------------------------------------------------------------------------------------
# ε-network "mlp-512x4"

class EpsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(D + EMB, WIDTH)
        self.blocks = nn.ModuleList([nn.Linear(WIDTH, WIDTH) for _ in range(BLOCKS)])
        self.out = nn.Linear(WIDTH, D)
        self.register_buffer("emb", embedding_table(), persistent=False)

    def forward(self, x, t):
        """x: [B×64]; t: an int (same step for every row) or a LongTensor [B]."""
        if isinstance(t, int):
            e = self.emb[t].expand(x.shape[0], EMB)
        else:
            e = self.emb[t]
        h = F.silu(self.inp(torch.cat([x, e], dim=1)))
        for blk in self.blocks:
            h = h + F.silu(blk(h))
        return self.out(h)


# ----------------------------------------------------------------------------------------------
# One G_loss round of guided DDPM sampling

class Sampler:
    def __init__(self, beta, alpha_bar):
        self.coef = [None]
        for t in range(1, T + 1):
            ab, abp, b = alpha_bar[t].item(), alpha_bar[t - 1].item(), beta[t].item()
            self.coef.append(dict(
                alpha=math.sqrt(ab), h=1 - ab, sqrt_h=math.sqrt(1 - ab),
                c1=b * math.sqrt(abp) / (1 - ab),
                c2=(1 - abp) * math.sqrt(1 - b) / (1 - ab),
                sd=math.sqrt(b * (1 - abp) / (1 - ab)),
            ))

    def round(self, net, g, y, generator, record=None):
        """Runs t = T..1 from x ~ N(0, I); returns the final x [B×64].

        If `record` is a list, appends (t, max|G|, max|ε̃ − ε̂|) per step (for checks only)."""
        B = g.shape[0]
        x = torch.randn(B, D, generator=generator)
        for t in range(T, 0, -1):
            c = self.coef[t]
            alpha, h, sqrt_h = c["alpha"], c["h"], c["sqrt_h"]
            xg = x.detach().requires_grad_(True)
            eps = net(xg, t)                                           # ONE forward
            x0 = (xg - sqrt_h * eps) / alpha
            (v,) = torch.autograd.grad((x0 * g).sum(), xg)             # ONE backward: v = (∂x̂₀/∂x)ᵀg
            with torch.no_grad():
                eps = eps.detach()
                x0 = x0.detach()
                r = y - (x0 * g).sum(dim=1)                            # [B]
                vv = (v * v).sum(dim=1)                                # ‖v‖², [B]
                beta_t = (alpha * alpha / 2) / (alpha * alpha * SIGMA * SIGMA + h * vv)
                G = (2 * beta_t * r)[:, None] * v                      # 2βₜ r v
                eps_tilde = eps - sqrt_h * G
                x0_tilde = (x - sqrt_h * eps_tilde) / alpha
                mean = c["c1"] * x0_tilde + c["c2"] * x
                if t > 1:
                    x = mean + c["sd"] * torch.randn(B, D, generator=generator)
                else:
                    x = mean
                if record is not None:
                    record.append((t, G.abs().max().item(), (eps_tilde - eps).abs().max().item()))
        return x


# ----------------------------------------------------------------------------------------------
# Training

def make_data(points, generator):
    A, _ = torch.linalg.qr(torch.randn(D, SUBSPACE, generator=generator, dtype=torch.float64))
    u = torch.randn(points, SUBSPACE, generator=generator, dtype=torch.float64)
    return (u @ A.T).float().contiguous(), A


def train(net, data, alpha_bar, epochs, warmup, batch, generator):
    """Returns (list of per-epoch seconds, batches per epoch, last loss)."""
    opt = torch.optim.Adam(net.parameters(), lr=1e-4, betas=(0.9, 0.99))
    sqrt_ab = alpha_bar.sqrt().float()
    sqrt_h = (1 - alpha_bar).sqrt().float()
    n = data.shape[0]
    nb = n // batch

    def step(idx):
        x0 = data[idx]
        t = torch.randint(1, T + 1, (idx.shape[0],), generator=generator)
        eps = torch.randn(idx.shape[0], D, generator=generator)
        xt = sqrt_ab[t][:, None] * x0 + sqrt_h[t][:, None] * eps
        loss = F.mse_loss(net(xt, t), eps)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    perm = torch.randperm(n, generator=generator)
    for i in range(warmup):
        step(perm[(i % nb) * batch:(i % nb + 1) * batch])

    times, loss = [], None
    for _ in range(epochs):
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=generator)
        for i in range(nb):
            loss = step(perm[i * batch:(i + 1) * batch])
        times.append(time.perf_counter() - t0)
    return times, nb, (loss.item() if loss is not None else float("nan"))


# ----------------------------------------------------------------------------------------------
# Checks

def self_check(net, sampler, generator):
    """Cheap correctness checks of the sampler; raises AssertionError on failure."""
    B = 4
    # 1. g = 0 ⇒ G = 0 and ε̃ = ε̂ at every step; output finite.
    rec = []
    x = sampler.round(net, torch.zeros(B, D), torch.ones(B), generator, record=rec)
    assert torch.isfinite(x).all(), "non-finite output with g = 0"
    assert len(rec) == T and all(m == 0.0 and d == 0.0 for _, m, d in rec), "guidance not zero with g = 0"
    # 2. with g ≠ 0: finite output, guidance non-zero.
    g = torch.randn(B, D, generator=generator) / math.sqrt(D)
    y = torch.full((B,), 2.0)
    rec = []
    x = sampler.round(net, g, y, generator, record=rec)
    assert torch.isfinite(x).all(), "non-finite output with g ≠ 0"
    assert all(math.isfinite(m) for _, m, _ in rec) and max(m for _, m, _ in rec) > 0, "guidance zero or non-finite"
    # 3. v from the single VJP equals Jᵀg with J = ∂x̂₀/∂x from the full Jacobian, and
    #    2r v = −∂(Σ r²)/∂x (the brief's "grad").
    c = sampler.coef[T // 2]
    xs = torch.randn(B, D, generator=generator, dtype=torch.float64)
    net64 = EpsNet().double()
    net64.load_state_dict(net.state_dict())
    x0f = lambda z: (z - c["sqrt_h"] * net64(z, T // 2)) / c["alpha"]
    xg = xs.clone().requires_grad_(True)
    (v,) = torch.autograd.grad((x0f(xg) * g.double()).sum(), xg)
    for i in range(B):
        J = torch.autograd.functional.jacobian(lambda z: x0f(z[None])[0], xs[i])
        assert torch.allclose(v[i], J.T @ g[i].double(), rtol=1e-9, atol=1e-12), "VJP mismatch"
    xg = xs.clone().requires_grad_(True)
    r = y.double() - (x0f(xg) * g.double()).sum(dim=1)
    (grad,) = torch.autograd.grad((r * r).sum(), xg)
    assert torch.allclose(grad, -2 * r.detach()[:, None] * v, rtol=1e-9, atol=1e-12), "grad ≠ −2 r v"
    # 4. schedule sanity: ᾱ decreasing from ~1 to ~0, all coefficients finite.
    hs = [sampler.coef[t]["h"] for t in range(1, T + 1)]
    assert all(a < b for a, b in zip(hs, hs[1:])) and hs[0] < 1e-3 and hs[-1] > 1 - 1e-6, "schedule"
    assert all(math.isfinite(v) for t in range(1, T + 1) for v in sampler.coef[t].values()), "schedule"
    # 5. end to end with the exact ε of N(0, I) data (ε̂ = √hₜ x): unguided samples are N(0, I);
    #    guided ones have ⟨x, g⟩ ≈ the exact posterior mean y/(1 + σ²) for unit g.
    exact = lambda z, t: sampler.coef[t]["sqrt_h"] * z
    B = 1000
    g = torch.randn(B, D, generator=generator)
    g /= g.norm(dim=1, keepdim=True)
    x = sampler.round(exact, torch.zeros(B, D), torch.ones(B), generator)
    assert abs(x.mean().item()) < 0.02 and abs(x.std().item() - 1) < 0.03, "unguided Gaussian check"
    x = sampler.round(exact, g, torch.full((B,), 2.0), generator)
    p = (x * g).sum(dim=1)
    assert abs(p.mean().item() - 2 / (1 + SIGMA ** 2)) < 0.03 and p.std().item() < 0.15, "guided Gaussian check"
    return "ok"


# ----------------------------------------------------------------------------------------------

def machine_name():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=5).stdout
        for line in out.splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except Exception:
        pass
    return platform.processor() or platform.machine()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5, help="timed G_loss rounds (median reported)")
    ap.add_argument("--epochs", type=int, default=1, help="timed training epochs")
    ap.add_argument("--points", type=int, default=65536, help="training points (2048 batches at 65536)")
    ap.add_argument("--train-warmup", type=int, default=10, help="untimed training batches first")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-sample", action="store_true")
    ap.add_argument("--skip-train", action="store_true")
    ap.add_argument("--self-check", action="store_true", help="run cheap correctness checks first")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float32)
    gen = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)

    beta, alpha_bar = cosine_schedule()
    sampler = Sampler(beta, alpha_bar)
    net = EpsNet()
    result = {
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "machine": machine_name(),
        "python": platform.python_version(),
        "settings": {
            "network": "mlp-512x4", "D": D, "T": T, "schedule": "cosine(s=0.008, maxBeta=0.999)",
            "sigma": SIGMA, "beta_rule": "code", "sample_batch": 32, "repeats": args.repeats,
            "train_points": args.points, "train_batch": args.batch, "epochs": args.epochs,
            "train_warmup_batches": args.train_warmup, "adam": {"lr": 1e-4, "betas": [0.9, 0.99]},
            "dtype": "float32", "seed": args.seed,
        },
    }

    if args.self_check:
        result["self_check"] = self_check(net, sampler, gen)
        print("self-check: ok")

    if not args.skip_sample:
        B = 32
        g = torch.randn(B, D, generator=gen) / math.sqrt(D)
        y = torch.full((B,), 2.0)
        x = sampler.round(net, g, y, gen)                               # warm-up
        assert torch.isfinite(x).all()
        rounds = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            x = sampler.round(net, g, y, gen)
            rounds.append(time.perf_counter() - t0)
        assert torch.isfinite(x).all(), "non-finite samples"
        result["gloss_round_median_s"] = statistics.median(rounds)
        result["gloss_round_s"] = rounds

    if not args.skip_train:
        data, _ = make_data(args.points, gen)
        times, nb, last_loss = train(net, data, alpha_bar, args.epochs, args.train_warmup, args.batch, gen)
        if times:
            ms_per_batch = 1000 * sum(times) / (nb * len(times))
            result["train_epoch_s"] = times
            result["train_batches_per_epoch"] = nb
            result["train_ms_per_batch"] = ms_per_batch
            result["train_implied_20_epochs_min"] = ms_per_batch * 2048 * 20 / 60000
            result["train_last_loss"] = last_loss

    print(f"PyTorch {result['torch_version']} eager, float32, {result['threads']} thread(s), {result['machine']}")
    print(f"{'measure':<38} {'value':>12}")
    print("-" * 51)
    if "gloss_round_median_s" in result:
        print(f"{'G_loss round (B=32, T=200), median':<38} {result['gloss_round_median_s']:>10.3f} s")
        print(f"{'  rounds':<38} " + ", ".join(f"{s:.3f}" for s in result["gloss_round_s"]))
    if "train_ms_per_batch" in result:
        print(f"{'training, per batch of 32':<38} {result['train_ms_per_batch']:>9.3f} ms")
        print(f"{'  epoch(s) of %d batches' % result['train_batches_per_epoch']:<38} "
              + ", ".join(f"{s:.2f} s" for s in result["train_epoch_s"]))
        print(f"{'implied 20 epochs x 2048 batches':<38} {result['train_implied_20_epochs_min']:>8.2f} min")
        print(f"{'  last batch loss':<38} {result['train_last_loss']:>12.4f}")

    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=2)
            fh.write("\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    sys.exit(main())
