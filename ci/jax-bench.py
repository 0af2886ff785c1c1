#!/usr/bin/env python3
"""JAX (jit, XLA CPU) twin of `ggd bench`'s learned-network rows, for the architecture the sweep chose.

What it measures (float32, CPU):

  1. One G_loss round of guided DDPM ancestral sampling with the network (D = 64, width 512, three residual
     blocks), cosine schedule (T = 200, s = 0.008, β clipped at 0.999), B = 32, t = T..1: per step one forward
     pass and one input VJP v = (∂x̂₀/∂x)ᵀg, the code β rule (σ = 0.1), G = 2β(y − gᵀx̂₀)v, x̂₀ ← x̂₀ + (h/α)G,
     then the DDPM update — the whole round one jitted `lax.fori_loop`, as `ggd bench` times a whole round.
  2. One training batch of 32: ε-MSE of ε̂ = s(t)·x_t + c(t)·F (the parameterisation's, see
     `OutputParameterization` in Sources/ScoreNetwork), its gradient and Adam (lr 1e−4, betas 0.9/0.99),
     one jitted step; the median per batch over an epoch of --batches batches after a warm-up.

The network is `NetworkArchitecture` of the Swift code: z = [x; e(t)] (sinusoidal e of width 128),
h = SiLU(W₀z + b₀), h ← h + SiLU(Wₖh + bₖ [+ Uₖe(t)]) for three blocks, F = W_out h + b_out.
--parameterization epsilon|v|x0 and --time-conditioning input|every-block choose it as `ggd train` does.

    python3 -m venv /tmp/jax && /tmp/jax/bin/pip install jax numpy
    /tmp/jax/bin/python ci/jax-bench.py --parameterization v --repeats 9 --json Reports/networks/jax-bench.json

Compile time is excluded (a warm-up call compiles); the figures are medians of --repeats calls.
"""

import argparse
import json
import math
import platform
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np

D, EMB, WIDTH, BLOCKS, T, SIGMA, SUBSPACE = 64, 128, 512, 3, 200, 0.1, 16


def cosine_schedule(steps=T, s=0.008, max_beta=0.999):
    def f(u):
        c = math.cos((u + s) / (1 + s) * math.pi / 2)
        return c * c
    beta = [0.0] + [min(1 - f(t / steps) / f((t - 1) / steps), max_beta) for t in range(1, steps + 1)]
    alpha_bar = [1.0]
    for t in range(1, steps + 1):
        alpha_bar.append(alpha_bar[-1] * (1 - beta[t]))
    return np.array(beta), np.array(alpha_bar)


def embedding_table(steps=T):
    k = np.arange(EMB // 2, dtype=np.float64)
    freq = np.exp(-math.log(10000.0) * k / (EMB // 2))
    t = np.arange(steps + 1, dtype=np.float64)[:, None]
    return np.concatenate([np.sin(t * freq), np.cos(t * freq)], axis=1).astype(np.float32)


def init_params(key, every_block):
    def linear(key, fan_in, fan_out, bias=True):
        bound = 1 / math.sqrt(fan_in)
        kw, kb = jax.random.split(key)
        w = jax.random.uniform(kw, (fan_out, fan_in), jnp.float32, -bound, bound)
        b = jax.random.uniform(kb, (fan_out,), jnp.float32, -bound, bound) if bias else None
        return w, b
    keys = jax.random.split(key, 2 + 2 * BLOCKS)
    params = {"input": linear(keys[0], D + EMB, WIDTH), "output": linear(keys[1], WIDTH, D), "blocks": []}
    for k in range(BLOCKS):
        block = {"w": linear(keys[2 + 2 * k], WIDTH, WIDTH)}
        if every_block:
            block["u"] = linear(keys[3 + 2 * k], EMB, WIDTH, bias=False)[0]
        params["blocks"].append(block)
    return params


def network(params, x, e):
    """F(x, t) for rows x [B×D] and embeddings e [B×EMB]."""
    w, b = params["input"]
    h = jax.nn.silu(jnp.concatenate([x, e], axis=1) @ w.T + b)
    for block in params["blocks"]:
        w, b = block["w"]
        pre = h @ w.T + b
        if "u" in block:
            pre = pre + e @ block["u"].T
        h = h + jax.nn.silu(pre)
    w, b = params["output"]
    return h @ w.T + b


def denoised(parameterization, F, x, alpha, sqrt_h):
    """x̂₀ from F (OutputParameterization.denoisedCoefficients)."""
    if parameterization == "epsilon":
        return (x - sqrt_h * F) / alpha
    if parameterization == "v":
        return alpha * x - sqrt_h * F
    return F


def noise_coefficients(parameterization, alpha, sqrt_h):
    """(s, c) with ε̂ = s·x + c·F (OutputParameterization.noiseCoefficients)."""
    if parameterization == "epsilon":
        return jnp.zeros_like(alpha), jnp.ones_like(alpha)
    if parameterization == "v":
        return sqrt_h, alpha
    return 1 / sqrt_h, -alpha / sqrt_h


def make_round(parameterization, beta, alpha_bar, table):
    alpha = jnp.asarray(np.sqrt(alpha_bar), jnp.float32)
    h = jnp.asarray(1 - alpha_bar, jnp.float32)
    prev = np.concatenate([[1.0], alpha_bar[:-1]])
    c1 = jnp.asarray(beta * np.sqrt(prev) / np.maximum(1 - alpha_bar, 1e-300), jnp.float32)
    c2 = jnp.asarray((1 - prev) * np.sqrt(1 - beta) / np.maximum(1 - alpha_bar, 1e-300), jnp.float32)
    sd = jnp.asarray(np.sqrt(beta * (1 - prev) / np.maximum(1 - alpha_bar, 1e-300)), jnp.float32)
    table = jnp.asarray(table)

    @jax.jit
    def round_(params, g, y, key):
        B = g.shape[0]
        key, k0 = jax.random.split(key)
        x = jax.random.normal(k0, (B, D), jnp.float32)

        def step(i, carry):
            x, key = carry
            t = T - i
            a, hh = alpha[t], h[t]
            e = jnp.broadcast_to(table[t], (B, EMB))
            x0_of = lambda xx: denoised(parameterization, network(params, xx, e), xx, a, jnp.sqrt(hh))
            x0, vjp = jax.vjp(x0_of, x)
            (v,) = vjp(g)
            r = y - jnp.sum(x0 * g, axis=1)
            beta_t = (a * a / 2) / (a * a * SIGMA * SIGMA + hh * jnp.sum(v * v, axis=1))
            x0 = x0 + (hh / a) * (2 * beta_t * r)[:, None] * v
            key, kz = jax.random.split(key)
            z = jax.random.normal(kz, (B, D), jnp.float32)
            x = c1[t] * x0 + c2[t] * x + jnp.where(t > 1, sd[t], 0.0) * z
            return x, key

        x, _ = jax.lax.fori_loop(0, T, step, (x, key))
        return x

    return round_


def make_train_step(parameterization, alpha_bar, table, lr=1e-4, b1=0.9, b2=0.99, eps=1e-8):
    alpha = jnp.asarray(np.sqrt(alpha_bar), jnp.float32)
    sqrt_h = jnp.asarray(np.sqrt(1 - alpha_bar), jnp.float32)
    table = jnp.asarray(table)

    def loss(params, x0, t, noise):
        a, s = alpha[t][:, None], sqrt_h[t][:, None]
        xt = a * x0 + s * noise
        skip, scale = noise_coefficients(parameterization, a, s)
        eps_hat = skip * xt + scale * network(params, xt, table[t])
        return jnp.mean((eps_hat - noise) ** 2)

    @jax.jit
    def step(params, m, v, k, x0, t, noise):
        value, grad = jax.value_and_grad(loss)(params, x0, t, noise)
        m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, grad)
        v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grad)
        c1, c2 = 1 - b1 ** k, 1 - b2 ** k
        params = jax.tree_util.tree_map(lambda p, m, v: p - lr * (m / c1) / (jnp.sqrt(v / c2) + eps), params, m, v)
        return params, m, v, value

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parameterization", choices=["epsilon", "v", "x0"], default="v")
    parser.add_argument("--time-conditioning", choices=["input", "every-block"], default="input")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-sizes", default="32",
                        help="comma-separated batch sizes B of the G_loss round (the first is the headline row)")
    parser.add_argument("--json")
    args = parser.parse_args()
    sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    if not sizes or any(b < 1 for b in sizes):
        parser.error(f"--batch-sizes must be positive integers, got {args.batch_sizes!r}")

    beta, alpha_bar = cosine_schedule()
    table = embedding_table()
    key = jax.random.PRNGKey(args.seed)
    params = init_params(key, args.time_conditioning == "every-block")
    rng = np.random.default_rng(args.seed)

    round_ = make_round(args.parameterization, beta, alpha_bar, table)
    by_batch = {}
    for B in sizes:
        g = jnp.asarray(rng.standard_normal((B, D)), jnp.float32)
        y = jnp.asarray(rng.standard_normal(B), jnp.float32)
        round_(params, g, y, key).block_until_ready()         # compile for this shape
        times = []
        for i in range(args.repeats):
            start = time.perf_counter()
            round_(params, g, y, jax.random.PRNGKey(i + 1)).block_until_ready()
            times.append(time.perf_counter() - start)
        by_batch[B] = times
        print(f"G_loss round B = {B}: {statistics.median(times):.3f} s (median of {len(times)})", flush=True)
    rounds = by_batch[sizes[0]]

    A, _ = np.linalg.qr(rng.standard_normal((D, SUBSPACE)))
    data = jnp.asarray(rng.standard_normal((32 * args.batches, SUBSPACE)) @ A.T, jnp.float32)
    step = make_train_step(args.parameterization, alpha_bar, table)
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    m, v, p = zeros, zeros, params
    def batch(i):
        t = jnp.asarray(rng.integers(1, T + 1, 32))
        noise = jnp.asarray(rng.standard_normal((32, D)), jnp.float32)
        return data[(i % args.batches) * 32:(i % args.batches + 1) * 32], t, noise
    p, m, v, _ = step(p, m, v, 1, *batch(0))                     # compile
    jax.block_until_ready(p)
    epochs = []
    for r in range(max(1, args.repeats // 3)):
        inputs = [batch(i) for i in range(args.batches)]
        start = time.perf_counter()
        for i, (x0, t, noise) in enumerate(inputs):
            p, m, v, value = step(p, m, v, i + 2, x0, t, noise)
        jax.block_until_ready(p)
        epochs.append((time.perf_counter() - start) / args.batches)

    name = "mlp-512x4" + ("" if args.parameterization == "epsilon" else "-" + args.parameterization) \
        + ("-tb" if args.time_conditioning == "every-block" else "")
    result = {
        "framework": f"jax {jax.__version__} (jit, XLA CPU)", "architecture": name, "devices": str(jax.devices()),
        "machine": platform.processor() or platform.machine(),
        "gloss_round_seconds_median": statistics.median(rounds), "gloss_round_seconds": rounds,
        "gloss_round_batch": sizes[0],
        "gloss_round_by_batch": {str(b): {"median": statistics.median(t), "seconds": t} for b, t in by_batch.items()},
        "training_batch_seconds_median": statistics.median(epochs), "training_batch_seconds": epochs,
        "repeats": args.repeats, "batches": args.batches,
    }
    print(f"{name} with {result['framework']}: G_loss round (B = {sizes[0]}, T = 200) {result['gloss_round_seconds_median']:.3f} s "
          f"(median of {len(rounds)}); training batch of 32 {1000 * result['training_batch_seconds_median']:.2f} ms (median of {len(epochs)} epochs of {args.batches})")
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump(result, f, indent=2)
        import os
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()
