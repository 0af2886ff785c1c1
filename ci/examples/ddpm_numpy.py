#!/usr/bin/env python3
"""A guided DDPM sampler in NumPy, written from an audit case's formulas (ggd audit-case), to be audited
by `ggd audit`. It is the page a PyTorch or JAX sampler's adapter is: replace the ε-model by your
network's ε(x, t) and the NumPy calls by torch/jax ones.

  ddpm_numpy.py CASE OUT.npy [--count N] [--seed S] [--dtype float32|float64]   samples, own noise
  ddpm_numpy.py CASE OUT.npz --trajectory [--count N] [--dtype …]               x_t for t = T … 0, shared noise
  ddpm_numpy.py CASE --serve-steps [--dtype …]                                 one step per request on stdin/stdout
  … --backend jax                                                              the same page through jax.numpy
"""
import argparse
import json
import os
import sys

import numpy as np


def read(stream):
    """One .npy array from a pipe (np.load and read_array want a seekable file)."""
    fmt = np.lib.format
    version = fmt.read_magic(stream)
    shape, fortran, dtype = (fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0)(stream)
    count = int(np.prod(shape))
    data = np.frombuffer(stream.read(count * dtype.itemsize), dtype=dtype, count=count)
    return data.reshape(shape, order="F" if fortran else "C")


class Sampler:
    """The ε-model, the guidance and the ancestral step of the case in CASE (a folder)."""

    def __init__(self, folder, dtype, xp=np):
        self.xp = xp                                # numpy, or jax.numpy: the page is the same
        with open(os.path.join(folder, "case.json")) as f:
            manifest = json.load(f)
        arrays = np.load(os.path.join(folder, "case.npz"))
        self.dtype = np.dtype(dtype)
        self.kind = manifest["guidance"]            # none, naive or lookahead
        self.rule = manifest["beta_rule"]           # code, theory or constant
        self.constant_beta = manifest["setting"]["guidance"].get("beta")
        self.T = int(manifest["T"])
        cast = lambda name: xp.asarray(arrays[name].astype(self.dtype))
        self.mu, self.basis, self.variances = cast("mu"), cast("basis"), cast("variances")
        self.alpha_bar, self.beta, self.g = cast("alpha_bar"), cast("beta"), cast("g")
        self.y, self.sigma, self.coef = (self.dtype.type(arrays[k]) for k in ("y", "sigma", "beta_coef"))
        self.arrays = arrays

    # The schedule: the one place a convention error would live (see ddpm_numpy_broken.py).
    def coefficients(self, t):
        ab, ab_prev, b = self.alpha_bar[t], self.alpha_bar[t - 1], self.beta[t]
        c1 = b * self.xp.sqrt(ab_prev) / (1 - ab)
        c2 = (1 - ab_prev) * self.xp.sqrt(1 - b) / (1 - ab)
        variance = b * (1 - ab_prev) / (1 - ab) if t > 1 else 0     # no noise at the last step
        return c1, c2, variance

    # The closed-form model: x̂₀ = μ + B diag(αλ/(α²λ + h)) Bᵀ(x − αμ), ε = (x − αx̂₀)/√h.
    def _phi(self, t):
        a, h = self.xp.sqrt(self.alpha_bar[t]), 1 - self.alpha_bar[t]
        return a * self.variances / (a * a * self.variances + h)

    def epsilon(self, x, t):
        a, h = self.xp.sqrt(self.alpha_bar[t]), 1 - self.alpha_bar[t]
        x0 = self.mu + ((x - a * self.mu) @ self.basis * self._phi(t)) @ self.basis.T
        return (x - a * x0) / self.xp.sqrt(h)

    def vjp(self, v, t):
        return (v @ self.basis * self._phi(t)) @ self.basis.T

    def guidance(self, x0, t):
        a, h = self.xp.sqrt(self.alpha_bar[t]), 1 - self.alpha_bar[t]
        residual = (self.y - x0 @ self.g)[:, None]
        if self.kind == "naive":
            beta = a / (self.sigma ** 2 + h * (self.g @ self.g))
            return self.coef * beta * residual * self.g
        v = self.vjp(self.g, t)
        if self.rule == "code":
            beta = (a * a / 2) / (a * a * self.sigma ** 2 + h * (v @ v))
        elif self.rule == "theory":
            beta = 1 / (2 * (self.sigma ** 2 + (h / a) * (self.g @ v)))
        else:
            beta = self.dtype.type(self.constant_beta)
        return 2 * self.coef * beta * residual * v

    def step(self, x, t, z):
        """x_{t−1} from x_t with the noise z: guidance through ε̃ = ε − √h·G, then the ancestral step."""
        a, h = self.xp.sqrt(self.alpha_bar[t]), 1 - self.alpha_bar[t]
        eps = self.epsilon(x, t)
        x0 = (x - self.xp.sqrt(h) * eps) / a
        if self.kind != "none":
            eps = eps - self.xp.sqrt(h) * self.guidance(x0, t)
            x0 = (x - self.xp.sqrt(h) * eps) / a
        c1, c2, variance = self.coefficients(t)
        out = c1 * x0 + c2 * x
        if variance > 0:
            out = out + self.xp.sqrt(variance) * z
        return out.astype(self.dtype)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("case")
    p.add_argument("out", nargs="?")
    p.add_argument("--count", type=int)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    p.add_argument("--trajectory", action="store_true")
    p.add_argument("--serve-steps", action="store_true")
    p.add_argument("--backend", choices=["numpy", "jax"], default="numpy")
    args = p.parse_args()
    xp = np
    if args.backend == "jax":
        import jax
        jax.config.update("jax_enable_x64", args.dtype == "float64")
        import jax.numpy as xp
    sampler = sampler_class()(args.case, args.dtype, xp)
    D = sampler.mu.shape[0]

    if args.serve_steps:
        stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
        while stdin.peek(1):                            # until ggd closes our stdin
            x, t, z = read(stdin), int(read(stdin)), read(stdin)
            np.save(stdout, np.asarray(sampler.step(xp.asarray(x, sampler.dtype), t, xp.asarray(z, sampler.dtype))))
            stdout.flush()

    if args.out is None:
        p.error("give an output file, or --serve-steps")
    if args.trajectory:
        shared = sampler.arrays["x_T"]
        n = min(args.count or shared.shape[0], shared.shape[0])
        x = xp.asarray(shared[:n], sampler.dtype)
        states = [None] * (sampler.T + 1)
        states[sampler.T] = x
        for t in range(sampler.T, 0, -1):
            x = sampler.step(x, t, xp.asarray(sampler.arrays["noise"][t - 1, :n], sampler.dtype))
            states[t - 1] = x
        np.savez(args.out, x=np.stack([np.asarray(s) for s in states]))
    else:
        n = args.count or json.load(open(os.path.join(args.case, "case.json")))["count"]
        rng = np.random.default_rng(args.seed)
        x = xp.asarray(rng.standard_normal((n, D)), sampler.dtype)
        for t in range(sampler.T, 0, -1):
            x = sampler.step(x, t, xp.asarray(rng.standard_normal((n, D)), sampler.dtype))
        np.save(args.out, np.asarray(x))


def sampler_class():
    return Sampler


if __name__ == "__main__":
    main()
