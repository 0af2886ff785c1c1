import Compute
import LinearAlgebra

/// The one sampler loop of the house: x_T from the initial noise, then for every step of a
/// `SamplerPlan` x̂₀ from the denoiser and the backend's affine step with the step's noise, all in the
/// backend's memory; only the final points come back.
///
/// DDPM, the continuous samplers and the resident network path all run here, so the step, its noise
/// and its checks exist once. The noise is drawn by the backend from the same Philox streams
/// (`SamplingNoise`), so every backend draws the same numbers.
public enum SamplerDriver {
    /// `count` draws of dimension `dimension`. With `checked`, stops with `DiffusionError.nonFinite`
    /// naming the step (and whether x̂₀ or the update) as soon as NaN or infinity appears. `observe`, when
    /// given, is handed x_T (after index 0) and x after each step (index i + 1), copied to the host: an
    /// audit's view of the whole trajectory, which costs a copy per step.
    public static func run<Denoiser: BatchDenoiser>(_ plan: SamplerPlan, denoiser: Denoiser, on backend: Denoiser.Backend, count: Int,
                                                    dimension D: Int, noise: SamplingNoise, checked: Bool = false,
                                                    progress: ((Int, Int) -> Void)? = nil,
                                                    observe: ((Int, Matrix<Double>) -> Void)? = nil) throws -> Matrix<Double> {
        guard count > 0, D > 0 else { return Matrix(rows: max(count, 0), columns: max(D, 0)) }
        let n = count * D
        let x = try backend.allocate(Double.self, count: n), x0 = try backend.allocate(Double.self, count: n)
        let z = try backend.allocate(Double.self, count: plan.steps.contains { $0.noiseStep != nil } ? n : 0)
        try backend.fillNormals(x.pointer, rows: count, columns: D, key: noise.initialKey, firstRow: noise.firstRow)
        if let observe { observe(0, Matrix(rows: count, columns: D, elements: try backend.values(x.pointer, count: n))) }
        for (i, step) in plan.steps.enumerated() {
            if step.kind == .update {
                try denoiser.denoise(x.pointer, into: x0.pointer, rows: count, step: step)
            }
            if step.noiseStep != nil {
                try backend.fillNormals(z.pointer, rows: count, columns: D, key: noise.key(for: step), firstRow: noise.firstRow)
                try backend.ddpmStep(x: x.pointer, denoised: x0.pointer, noise: z.pointer, count: n, c1: step.c1, c2: step.c2, sd: step.sd)
            } else {
                try backend.ddpmStep(x: x.pointer, denoised: x0.pointer, noise: nil, count: n, c1: step.c1, c2: step.c2, sd: 0)
            }
            if checked, try !allFinite(x.pointer, count: n, on: backend) {
                let what = step.kind == .renoise ? "the sample after re-noising (time travel)"
                    : try allFinite(x0.pointer, count: n, on: backend) ? "the sample after the update" : "x̂₀ (the score model's estimate, with its guidance)"
                var label = step.step > 0 ? "step \(step.step)" : "step \(i + 1)"
                if step.kind == .renoise || step.repeatIndex > 0 { label += " (pass \(step.repeatIndex + 1))" }
                throw DiffusionError.nonFinite("at \(label) of \(plan.steps.count): \(what) is NaN or infinite")
            }
            if let observe { observe(i + 1, Matrix(rows: count, columns: D, elements: try backend.values(x.pointer, count: n))) }
            progress?(i + 1, plan.steps.count)
        }
        if let time = plan.finalDenoise {
            let final = SamplerStep(time: time, step: plan.finalStep, c1: 1, c2: 0, sd: 0, noiseStep: nil, target: StepContext.data)
            try denoiser.denoise(x.pointer, into: x0.pointer, rows: count, step: final)
            return Matrix(rows: count, columns: D, elements: try backend.values(x0.pointer, count: n))
        }
        return Matrix(rows: count, columns: D, elements: try backend.values(x.pointer, count: n))
    }

    static func allFinite<B: SamplerBackend>(_ p: BackendPointer<Double>, count: Int, on backend: B) throws -> Bool {
        try backend.allFinite(p, count: count)
    }
}
