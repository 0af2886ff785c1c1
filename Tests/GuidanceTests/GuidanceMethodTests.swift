import FaultInjection
import Guidance
import LinearAlgebra
import Randomness
import Statistics
import Testing
import TestSupport

/// The training-free methods (DPS, Universal Guidance, MPGD, FreeDoM, TFG) against independent
/// computations: finite differences through a nonlinear (mixture) score, hand-derived closed forms of
/// the x̂₀-space steps, the affine forms the exact law reads, TFG's presets against the direct rules,
/// and each method's exact law against its own Monte Carlo draws.
@Suite struct GuidanceMethodTests {
    static let p = Fixture.problem
    /// A unit g with most of its length off span(A) (the case where the methods differ).
    static let g: [Double] = {
        let v = Fixture.offSpanHeavyGradients(1, key: TestRandom.key(1601)).row(0)
        return Vectors.scale(v, by: 1 / Vectors.norm(v))
    }()
    static let y = 1.5
    static func target(_ n: Int) throws -> GuidanceTarget { try .shared(gradient: g, target: y, count: n) }
    static var geometry: SubspaceGeometry { SubspaceGeometry(basis: p.basis) }
    static let ddpm = DDPMSampler(schedule: try! NoiseSchedule(kind: .cosine(), steps: 30))
    static let ddim = try! DDIMSampler(schedule: try! NoiseSchedule(kind: .cosine(), steps: 30), eta: 0.5, steps: 10)
    static let samplers: [any AffineStepSampler] = [ddpm, ddim]

    // MARK: Independent computations

    /// DPS's correction −ζ∇ₓℓ(x̂₀(x)) through the mixture score (nonlinear x̂₀) against fourth-order
    /// central differences of x ↦ ℓ(x̂₀(x)) (and of x ↦ 2ζ√ℓ for the normalised rule). Finite differences
    /// of an O(1) function with step ~1e-3 agree to ~1e-9; bound 1e-6 relative.
    @Test("DPS equals finite differences of ℓ(x̂₀(x)) through a nonlinear score", arguments: [DPSGuidance.StepRule.normalized, .constant, .posterior(sigma: 0.5)])
    func dpsFiniteDifferences(rule: DPSGuidance.StepRule) throws {
        let model = try Fixture.mixture()
        let n = 3
        let target = try Self.target(n)
        let loss = MeasurementLoss(target: target)
        let dps = try DPSGuidance(loss: loss, zeta: 0.7, rule: rule)
        for time in [Fixture.cosine200.time(20), Fixture.cosine200.time(120)] {
            let x = TestRandom.gaussianMatrix(rows: n, columns: Self.p.ambient, key: TestRandom.key(1602))
            let term = dps.term(model: model, x: x, denoised: model.denoise(x, at: time), time: time)
            for i in 0..<n {
                let f: ([Double]) -> Double = { point in
                    let l = loss.values(model.denoise(Matrix(broadcasting: point, rows: n), at: time))[i]
                    return rule == .normalized ? 2 * l.squareRoot() : l
                }
                let factor = { if case let .posterior(sigma) = rule { return 0.7 / (2 * sigma * sigma) } else { return 0.7 } }()
                let fd = Vectors.scale(FiniteDifference.gradient(of: f, at: x.row(i)), by: -factor)
                #expect(Errors.relative(term.row(i), fd) < 1e-6, "row \(i), h = \(time.h)")
            }
        }
    }

    /// m gradient steps on (y − gᵀ(x̂₀ + Δ))² in closed form: Δ ∥ Pg with rₖ₊₁ = rₖ(1 − 2κ gᵀPg), so
    /// Δ = Pg (r₀ − r_m)/gᵀPg (P = I without projection). Bound 1e-12 relative.
    @Test("x̂₀-space steps (Universal backward, MPGD, projected MPGD) equal their closed form")
    func denoisedStepsClosedForm() throws {
        let model = try Fixture.gaussian()
        let n = 4, m = 5, kappa = 0.07
        let target = try Self.target(n)
        let loss = MeasurementLoss(target: target)
        let time = Fixture.cosine200.time(50)
        let x = TestRandom.gaussianMatrix(rows: n, columns: Self.p.ambient, key: TestRandom.key(1603))
        let x0 = model.denoise(x, at: time)
        let projector = Self.p.basis.matmul(Self.p.basis, transposeOther: true)
        let rules: [(String, any GuidanceTerm, Matrix<Double>?)] = [
            ("universal backward", try UniversalGuidance(loss: loss, forwardStrength: 0, backwardSteps: m, backwardStepSize: kappa), nil),
            ("mpgd", try MPGDGuidance(loss: loss, stepSize: kappa, steps: m), nil),
            ("mpgd projected", try MPGDGuidance(loss: loss, stepSize: kappa, steps: m, projectingOnto: Self.geometry), projector),
        ]
        for (name, rule, projection) in rules {
            let delta = rule.term(model: model, x: x, denoised: x0, time: time)
            let pg = projection.map { $0.times(Self.g) } ?? Self.g
            let gpg = Vectors.dot(Self.g, pg)
            for i in 0..<n {
                let r0 = Self.y - Vectors.dot(Self.g, x0.row(i))
                var r = r0
                for _ in 0..<m { r *= 1 - 2 * kappa * gpg }
                #expect(Errors.relative(delta.row(i), Vectors.scale(pg, by: (r0 - r) / gpg)) < 1e-12, "\(name), row \(i)")
            }
        }
    }

    /// TFG's smoothing of the measurement loss: ∇ℓ̃ = ∇ℓ/(1 + 2γ²‖g‖²) (Sherman–Morrison), against the
    /// general path (one Cholesky of I + γ²H) on the same quadratic written as a reward.
    @Test("implicit-dynamics smoothing: closed form equals the general factorisation")
    func smoothing() throws {
        let loss = MeasurementLoss(target: try Self.target(1))
        let smoothed = try loss.smoothed(by: 0.3)
        // f₁ = c − (θᵀx − a)² is −ℓ up to a constant with θ = g, a = y.
        let reward = try RewardLoss(objective: TargetValueObjective(theta: Self.g, target: Self.y)).smoothed(by: 0.3)
        let x = TestRandom.gaussianMatrix(rows: 1, columns: Self.p.ambient, key: TestRandom.key(1604))
        #expect(Errors.relative(smoothed.gradients(x).elements, reward.gradients(x).elements) < 1e-12)
        #expect(Errors.relative(smoothed.gradients(x).elements, Vectors.scale(loss.gradients(x).elements, by: 1 / (1 + 2 * 0.09))) < 1e-12)
        #expect(throws: GuidanceError.self) { try RewardLoss(objective: DistanceObjective(center: Self.g)).smoothed(by: 0.1) }
    }

    // MARK: The affine forms

    /// For every method with an exact law, at DDPM and DDIM steps: the shift of x̂₀ the sampler adds
    /// (`guidedDenoise` − x̂₀) equals Γx + γ from `affineShift`. Bound 1e-10 relative.
    @Test("affineShift equals the sampler's guided x̂₀ for every method", arguments: GuidanceMethod.defaults.filter { $0.kind != .dpsNormalized })
    func affineShift(method: GuidanceMethod) throws {
        let model = try Fixture.gaussian()
        let n = 3
        let rule = try method.guidance(for: Self.target(n), geometry: Self.geometry)
        #expect(rule.hasExactLaw)
        let x = TestRandom.gaussianMatrix(rows: n, columns: Self.p.ambient, key: TestRandom.key(1605))
        for sampler in Self.samplers {
            for s in sampler.plan.steps {
                let shift = rule.guidedDenoise(model: model, x: x, context: s.context) - model.denoise(x, at: s.time)
                let (j, c) = model.affineDenoiser(at: s.time)
                for i in 0..<n {
                    let (l, k) = rule.affineShift(jacobian: j, offset: c, context: s.context, row: i)
                    let affine = Vectors.add(Naive.apply(l, x.row(i)), k)
                    #expect(Errors.relative(affine, shift.row(i)) < 1e-10 || Vectors.maxAbsDifference(affine, shift.row(i)) < 1e-13,
                            "\(method), step \(s.step)")
                }
            }
        }
    }

    // MARK: TFG's presets

    /// TFG set to each method reproduces the direct implementation's draws from the same noise (both
    /// samplers, a nonlinear mixture score): the same arithmetic in another order, so ~1e-15; bound 1e-10.
    @Test("TFG's presets coincide with DPS, FreeDoM, MPGD and Universal Guidance")
    func tfgPresets() throws {
        let n = 6
        let loss = MeasurementLoss(target: try Self.target(n))
        let pairs: [(String, any GuidanceTerm, any GuidanceTerm)] = [
            ("dps", try DPSGuidance(loss: loss, zeta: 0.3, rule: .constant), try TrainingFreeGuidance.dps(loss: loss, zeta: 0.3)),
            ("freedom", try FreeDoMGuidance(energy: loss, rho: 0.2, recurrence: 3), try TrainingFreeGuidance.freedom(energy: loss, rho: 0.2, recurrence: 3)),
            ("mpgd", try MPGDGuidance(loss: loss, stepSize: 0.1, steps: 3), try TrainingFreeGuidance.mpgd(loss: loss, stepSize: 0.1, steps: 3)),
            ("universal forward", try UniversalGuidance(loss: loss, forwardStrength: 0.4, recurrence: 2),
             try TrainingFreeGuidance.universal(loss: loss, forwardStrength: 0.4, backwardSteps: 0, backwardStepSize: 0, recurrence: 2)),
            ("universal backward", try UniversalGuidance(loss: loss, forwardStrength: 0, backwardSteps: 1, backwardStepSize: 0.2, recurrence: 2),
             try TrainingFreeGuidance.universal(loss: loss, forwardStrength: 0, backwardSteps: 1, backwardStepSize: 0.2, recurrence: 2)),
        ]
        for model in [try Fixture.mixture() as any ScoreModel, try Fixture.gaussian()] {
            for sampler in Self.samplers {
                for (name, direct, preset) in pairs {
                    let noise = SamplingNoise(seed: 77, round: 1)
                    let a = sampler.sample(model: model, guidance: direct, count: n, noise: noise)
                    let b = sampler.sample(model: model, guidance: preset, count: n, noise: noise)
                    #expect(Errors.relative(a.elements, b.elements) < 1e-10, "\(name) on \(type(of: sampler))")
                    let unguided = sampler.sample(model: model, guidance: nil, count: n, noise: noise)
                    #expect(Errors.relative(a.elements, unguided.elements) > 1e-3, "\(name) must move the draws")
                }
            }
        }
        #expect(throws: GuidanceError.self) {
            try TrainingFreeGuidance.universal(loss: loss, forwardStrength: 0.4, backwardSteps: 1, backwardStepSize: 0.2, recurrence: 1)
        }
        #expect(throws: GuidanceError.self) {
            try TrainingFreeGuidance.universal(loss: loss, forwardStrength: 0, backwardSteps: 2, backwardStepSize: 0.2, recurrence: 1)
        }
    }

    // MARK: Exact laws against draws

    /// Each method's exact law (DDPM T = 30 and DDIM η = 0.5 over 10 steps) against 4000 of its own draws:
    /// one-sample KS of the projections on g, on the first basis vector and on a random direction, at
    /// α = 1e-4 split over the 3 projections × 8 methods × 2 samplers (the run is seeded, so it cannot
    /// flake; across seeds it false-fails with probability ≤ 1e-4). Power: at this α and n, the critical
    /// distance is 0.042, so a CDF off by 0.06 anywhere (a mean off by ~0.15σ) is caught with probability
    /// ≥ 0.95. The broken variant (time travel without re-noising) is caught at the same level.
    @Test("every method's exact law matches its draws (KS), and a broken recurrence does not")
    func lawsAgainstDraws() throws {
        let model = try Fixture.gaussian()
        let n = 4000
        let methods = GuidanceMethod.defaults.filter { $0.kind != .dpsNormalized }
        let alpha = 1e-4 / Double(3 * methods.count * Self.samplers.count)
        let directions = [Self.g, Self.p.basis.column(0), TestRandom.gaussianVector(Self.p.ambient, key: TestRandom.key(1606))]
        func smallestP(_ rule: any AffineGuidanceTerm, _ sampler: any AffineStepSampler, seed: UInt64) throws -> Double {
            let law = DDPMExactLaw.output(sampler: sampler, model: model, guidance: rule)
            let draws = try sampler.sampleChecked(model: model, guidance: rule, count: n, noise: SamplingNoise(seed: seed), progress: nil)
            return try directions.map { u in
                let m = Vectors.dot(u, law.mean), sd = law.covariance.bilinear(u, u).squareRoot()
                return try KolmogorovSmirnov.oneSample(draws.times(u), cdf: { Stats.normalCDF(($0 - m) / sd) }).pValue
            }.min()!
        }
        for method in methods {
            let rule = try method.guidance(for: Self.target(n), geometry: Self.geometry)
            for sampler in Self.samplers {
                let pValue = try smallestP(rule, sampler, seed: 1607)
                #expect(pValue > alpha, "\(method) on \(type(of: sampler)): p = \(pValue)")
            }
        }
        let freedom = try FreeDoMGuidance(energy: MeasurementLoss(target: Self.target(n)), rho: 0.1, recurrence: 3)
        for sampler in Self.samplers {
            let broken = try FaultHook.inject(.recurrenceWithoutRenoise, acknowledging: FaultHook.acknowledgement) {
                try smallestP(freedom, sampler, seed: 1608)
            }
            #expect(broken < alpha, "time travel without re-noising must be caught on \(type(of: sampler)): p = \(broken)")
        }
    }

    // MARK: Structure preservation

    /// The exact law's off-span mass (‖(I − P)m‖ + √tr((I − P)C(I − P))) is zero for the methods that
    /// move x only through the model's VJP or a projection, and clearly not (> 1e-3) for those that move
    /// x̂₀ along ∇ℓ. "Zero" is ≤ 1e-7: the covariance's off-span round-off (measured ≤ 1e-16 after 30
    /// steps) enters through its square root. Draws of the first kind (normalised DPS included, which has
    /// no exact law) have no off-span part beyond 1e-9 of their norm.
    @Test("which methods keep span(A), by the exact law and by the draws")
    func structure() throws {
        let model = try Fixture.gaussian()
        let n = 64
        for method in GuidanceMethod.defaults {
            let rule = try method.guidance(for: Self.target(n), geometry: Self.geometry)
            for sampler in Self.samplers {
                if rule.hasExactLaw {
                    let mass = Self.offSpanMass(DDPMExactLaw.output(sampler: sampler, model: model, guidance: rule))
                    if method.keepsSpanForAnyGradient { #expect(mass < 1e-7, "\(method): off-span mass \(mass)") }
                    else { #expect(mass > 1e-3, "\(method): off-span mass \(mass) should not vanish") }
                }
                if method.keepsSpanForAnyGradient {
                    let draws = sampler.sample(model: model, guidance: rule, count: n, noise: SamplingNoise(seed: 1609))
                    #expect((Self.geometry.offSupportFraction(draws).max() ?? 1) < 1e-9, "\(method) draws")
                }
            }
        }
    }

    /// ‖(I − P)m‖ + √tr((I − P)C(I − P)).
    static func offSpanMass(_ law: GaussianLaw) -> Double {
        let q = Matrix<Double>.identity(p.ambient) - p.basis.matmul(p.basis, transposeOther: true)
        let off = q.matmul(law.covariance).matmul(q)
        return Vectors.norm(q.times(law.mean)) + max(0, (0..<p.ambient).reduce(0) { $0 + off[$1, $1] }).squareRoot()
    }

    /// Every method takes the package's objectives as losses (ℓ = −f): f₂ (not smooth, no affine gradient)
    /// runs and has no exact law; f₁ and a concave quadratic have one, and the law lowers E ℓ below the
    /// unguided sampler's.
    @Test("objectives as losses: f₂ runs without a law; f₁ and a quadratic have one and descend")
    func objectivesAsLosses() throws {
        let model = try Fixture.gaussian()
        let p = Self.p
        let quadratic = try ConcaveQuadraticObjective(center: TestRandom.gaussianVector(p.ambient, key: TestRandom.key(1611)),
                                                      curvature: TestRandom.spdMatrix(dimension: p.ambient, key: TestRandom.key(1612)))
        let objectives: [any Objective] = [TargetValueObjective(theta: Self.g, target: 2), quadratic, DistanceObjective(center: Self.g)]
        for objective in objectives {
            let loss = RewardLoss(objective: objective)
            let rules: [any AffineGuidanceTerm] = [try DPSGuidance(loss: loss, zeta: 0.05, rule: .constant),
                                                   try FreeDoMGuidance(energy: loss, rho: 0.05, recurrence: 2),
                                                   try MPGDGuidance(loss: loss, stepSize: 0.05),
                                                   try UniversalGuidance(loss: loss, forwardStrength: 0.1, backwardSteps: 1, backwardStepSize: 0.05)]
            for rule in rules {
                let draws = try Self.ddpm.sampleChecked(model: model, guidance: rule, count: 16, noise: SamplingNoise(seed: 1613), progress: nil)
                #expect(draws.isFinite)
                #expect(rule.hasExactLaw == (objective.affineGradient != nil), "\(objective.name)")
                guard rule.hasExactLaw, let (h, _) = objective.affineGradient else { continue }
                // E f(X) for X ~ N(m, C) with f quadratic: f(m) + ½tr(HC).
                func expectedReward(_ law: GaussianLaw) -> Double {
                    objective.value(law.mean) + 0.5 * (0..<p.ambient).reduce(0) { $0 + h.matmul(law.covariance)[$1, $1] }
                }
                let guided = expectedReward(DDPMExactLaw.output(sampler: Self.ddpm, model: model, guidance: rule))
                let unguided = expectedReward(DDPMExactLaw.output(sampler: Self.ddpm, model: model, guidance: nil))
                #expect(guided > unguided, "\(objective.name), \(type(of: rule)): E f guided \(guided) ≤ unguided \(unguided)")
            }
        }
    }

    // MARK: Bad settings

    @Test("invalid settings are refused with a message naming them")
    func invalidSettings() throws {
        let loss = MeasurementLoss(target: try Self.target(1))
        #expect(throws: GuidanceError.self) { try DPSGuidance(loss: loss, zeta: .nan) }
        #expect(throws: GuidanceError.self) { try FreeDoMGuidance(energy: loss, rho: 0.1, recurrence: 0) }
        #expect(throws: GuidanceError.self) { try FreeDoMGuidance(energy: loss, rho: 0.1, recurrence: 5000) }
        #expect(throws: GuidanceError.self) { try UniversalGuidance(loss: loss, forwardStrength: -1) }
        #expect(throws: GuidanceError.self) { try MPGDGuidance(loss: loss, stepSize: 0.1, steps: -1) }
        #expect(throws: GuidanceError.self) { try MPGDGuidance(loss: loss, stepSize: 0.1, projection: Matrix(rows: 2, columns: 3)) }
        #expect(throws: GuidanceError.self) { try GuidanceMethod(.mpgdProjected, innerSteps: 1, innerStepSize: 0.1).guidance(for: Self.target(1)) }
        #expect(throws: GuidanceError.self) { try TrainingFreeGuidance(loss: RewardLoss(objective: DistanceObjective(center: Self.g)), gamma: 0.2) }
    }
}

/// Algorithm 1 with a `GuidanceMethod` in place of the built-in guidance.
@Suite struct MethodInAlgorithmOneTests {
    /// `method: g-loss(β_coef = 1)` is the default G_loss round bit for bit (the same rule from the same
    /// query), and another method changes the run.
    @Test("method g-loss reproduces the default Algorithm 1; another method differs")
    func gLossMethodIsTheDefault() throws {
        let model = try Fixture.gaussian()
        let objective = TargetValueObjective(theta: GuidanceMethodTests.g, target: 2)
        let sampler = DDPMSampler(schedule: try NoiseSchedule(kind: .cosine(), steps: 20))
        func run(_ method: GuidanceMethod?) throws -> OptimizationRun {
            let settings = OptimizationSettings(algorithm: 1, rounds: 3, batchSize: 8, seed: 5, method: method)
            return try GenerativeOptimizer(sampler: sampler, objective: objective, settings: settings,
                                           geometry: GuidanceMethodTests.geometry).run(model: model)
        }
        let base = try run(nil)
        #expect(try run(GuidanceMethod(.gLoss, strength: 1)).finalSamples == base.finalSamples)
        let dps = try run(GuidanceMethod(.dps, strength: 0.2))
        #expect(dps.finalSamples != base.finalSamples)
        #expect(dps.records.count == 4)
        #expect(dps.records.allSatisfy { $0.meanReward.isFinite })
    }

    /// A query with g = 0 (a stationary point of f) has no hyperplane: every method adds nothing there.
    @Test("a zero gradient gives no correction")
    func zeroGradient() throws {
        let model = try Fixture.gaussian()
        let target = try GuidanceTarget.shared(gradient: [Double](repeating: 0, count: Fixture.problem.ambient), target: 1, count: 2)
        let x = TestRandom.gaussianMatrix(rows: 2, columns: Fixture.problem.ambient, key: TestRandom.key(1610))
        let step = GuidanceMethodTests.ddpm.plan.steps[10]
        for method in GuidanceMethod.defaults where method.kind != .gLoss && method.kind != .naive {
            let rule = try method.guidance(for: target, geometry: GuidanceMethodTests.geometry)
            let shifted = rule.guidedDenoise(model: model, x: x, context: step.context)
            #expect(shifted.isFinite && shifted == model.denoise(x, at: step.time), "\(method)")
        }
    }
}
