#!/usr/bin/env python3
"""ddpm_numpy.py with one deliberate convention error, which `ggd audit` must catch and name.

--error alpha-bar-off-by-one (the default): ᾱ_{t−1} read as ᾱ_t, as when the "previous" array is not shifted.
--error noise-at-last-step: noise of variance β₁ added at the last step too.
--error variance-beta: step noise of variance β_t instead of the posterior β̃_t.
Every other option is ddpm_numpy.py's.
"""
import sys

import ddpm_numpy


class BrokenSampler(ddpm_numpy.Sampler):
    error = "alpha-bar-off-by-one"

    def coefficients(self, t):
        ab, b = self.alpha_bar[t], self.beta[t]
        if self.error == "alpha-bar-off-by-one":
            ab_prev = self.alpha_bar[t]                   # the mistake: should be alpha_bar[t - 1]
            c1 = b * ab_prev ** 0.5 / (1 - ab)
            c2 = (1 - ab_prev) * (1 - b) ** 0.5 / (1 - ab)
            return c1, c2, (b * (1 - ab_prev) / (1 - ab) if t > 1 else 0)
        c1, c2, variance = super().coefficients(t)
        if self.error == "noise-at-last-step":
            return c1, c2, (variance if t > 1 else b)     # the mistake: noise at t = 1
        return c1, c2, (b if t > 1 else 0)                 # variance-beta: β_t for β̃_t


if __name__ == "__main__":
    if "--error" in sys.argv:
        i = sys.argv.index("--error")
        BrokenSampler.error = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    ddpm_numpy.sampler_class = lambda: BrokenSampler
    ddpm_numpy.main()
