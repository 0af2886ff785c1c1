/// The kernels of `CUDAKernelSource`, loaded and resolved, with one typed launcher each.
///
/// Obtain with `CUDADevice.loadKernels()`. Every launcher takes device pointers into row-major,
/// unpadded buffers, exactly as the CPU `Kernels` take raw host pointers, and queues its kernel on the
/// default stream (see `CUDADevice`). Sizes must fit the kernels' `int` parameters.
public final class CUDAKernels {
    public let module: CUDAModule
    private let functions: [String: CUDAFunction]

    /// Resolves every symbol of `CUDAKernel.allSymbols` in `module`.
    public init(module: CUDAModule) throws(CUDAError) {
        self.module = module
        var table: [String: CUDAFunction] = [:]
        for symbol in CUDAKernel.allSymbols { table[symbol] = try module.function(named: symbol) }
        functions = table
    }

    /// The function of `kernel` for `precision`.
    public func function(_ kernel: CUDAKernel, _ precision: CUDAPrecision = .float) -> CUDAFunction {
        functions[kernel.symbol(precision)]!
    }

    /// First hidden layer in place: h ← SiLU(h + b), d ← SiLU′(h + b) (rows × width; b has width).
    public func siluFirst<T: CUDAScalar>(_ h: DevicePointer<T>, bias: DevicePointer<T>, derivative: DevicePointer<T>,
                                         rows: Int, width: Int) throws(CUDAError) {
        try launch(.siluFirst, T.self, elements: rows * width,
                   [.pointer(h), .pointer(bias), .pointer(derivative), int(rows), int(width)])
    }

    /// Residual block: next ← previous + SiLU(pre + b), d ← SiLU′(pre + b).
    public func siluResidual<T: CUDAScalar>(pre: DevicePointer<T>, bias: DevicePointer<T>, previous: DevicePointer<T>,
                                            next: DevicePointer<T>, derivative: DevicePointer<T>,
                                            rows: Int, width: Int) throws(CUDAError) {
        try launch(.siluResidual, T.self, elements: rows * width,
                   [.pointer(pre), .pointer(bias), .pointer(previous), .pointer(next), .pointer(derivative), int(rows), int(width)])
    }

    /// out[r, j] += bias[j].
    public func addBias<T: CUDAScalar>(_ out: DevicePointer<T>, bias: DevicePointer<T>, rows: Int, width: Int) throws(CUDAError) {
        try launch(.addBias, T.self, elements: rows * width, [.pointer(out), .pointer(bias), int(rows), int(width)])
    }

    /// out = a ⊙ b over `count` elements.
    public func multiply<T: CUDAScalar>(_ a: DevicePointer<T>, _ b: DevicePointer<T>, into out: DevicePointer<T>,
                                        count: Int) throws(CUDAError) {
        try launch(.multiply, T.self, elements: count, [.pointer(a), .pointer(b), .pointer(out), int(count)])
    }

    /// sums[j] (+)= Σ_r m[r, j] (one thread per column; the parameter gradient of a bias).
    public func columnSums<T: CUDAScalar>(_ m: DevicePointer<T>, rows: Int, width: Int, into sums: DevicePointer<T>,
                                          accumulate: Bool) throws(CUDAError) {
        try launch(.columnSums, T.self, elements: width,
                   [.pointer(m), int(rows), int(width), .pointer(sums), .int32(accumulate ? 1 : 0)])
    }

    /// One Adam step over `count` parameters with the host-computed scalars of `Adam.update`
    /// (stepSize = lr/(1 − β₁ᵗ), sqrtCorrection2 = √(1 − β₂ᵗ), c1 = 1 − β₁, c2 = 1 − β₂).
    public func adamUpdate<T: CUDAScalar>(parameters: DevicePointer<T>, gradient: DevicePointer<T>, firstMoment: DevicePointer<T>,
                                          secondMoment: DevicePointer<T>, count: Int, stepSize: T, sqrtCorrection2: T,
                                          c1: T, beta2: T, c2: T, epsilon: T) throws(CUDAError) {
        try launch(.adamUpdate, T.self, elements: count,
                   [.pointer(parameters), .pointer(gradient), .pointer(firstMoment), .pointer(secondMoment), int(count),
                    stepSize.kernelArgument, sqrtCorrection2.kernelArgument, c1.kernelArgument, beta2.kernelArgument,
                    c2.kernelArgument, epsilon.kernelArgument])
    }

    /// average ← decay·average + weight·parameters over `count` elements.
    public func exponentialAverage<T: CUDAScalar>(_ average: DevicePointer<T>, toward parameters: DevicePointer<T>, count: Int, decay: T,
                                                  weight: T) throws(CUDAError) {
        try launch(.exponentialAverage, T.self, elements: count,
                   [.pointer(average), .pointer(parameters), int(count), decay.kernelArgument, weight.kernelArgument])
    }

    /// x ← c1·x̂₀ + c2·x + sd·z over `count` elements (no noise term when `noise` is nil).
    public func ddpmStep<T: CUDAScalar>(x: DevicePointer<T>, denoised x0: DevicePointer<T>, noise: DevicePointer<T>?, count: Int,
                                        c1: T, c2: T, sd: T) throws(CUDAError) {
        try launch(.ddpmStep, T.self, elements: count,
                   [.pointer(x), .pointer(x0), .pointer(noise), int(count), c1.kernelArgument, c2.kernelArgument, sd.kernelArgument])
    }

    /// Philox4x32-10 blocks `firstBlock ..< firstBlock + blocks` (mod 2³²) of counter (block, c1, c2, c3)
    /// under `key`, four words each, into `out` (4·blocks words). For `RandomStream.bits(row:block:)`
    /// pass counter (row, index low, index high) and key `StreamKey.philoxKey`.
    public func philox(into out: DevicePointer<UInt32>, blocks: Int, firstBlock: UInt32,
                       counter: (c1: UInt32, c2: UInt32, c3: UInt32), key: (UInt32, UInt32)) throws(CUDAError) {
        try launch(.philox, Float.self, elements: blocks,
                   [.pointer(out), int(blocks), .uint32(firstBlock), .uint32(counter.c1), .uint32(counter.c2), .uint32(counter.c3),
                    .uint32(key.0), .uint32(key.1)])
    }

    /// Network input rows from Double points: out[r·stride + j] = T(x[r·columns + j]).
    public func loadRows<T: CUDAScalar>(_ x: DevicePointer<Double>, rows: Int, columns: Int, into out: DevicePointer<T>,
                                        stride: Int) throws(CUDAError) {
        try launch(.loadRows, T.self, elements: rows * columns, [.pointer(x), int(rows), int(columns), .pointer(out), int(stride)])
    }

    /// out = T(x) over `count` elements.
    public func convert<T: CUDAScalar>(_ x: DevicePointer<Double>, count: Int, into out: DevicePointer<T>) throws(CUDAError) {
        try launch(.convert, T.self, elements: count, [.pointer(x), int(count), .pointer(out)])
    }

    /// out = (baseScale·base − scale·Double(correction))·factor over `count` elements.
    public func tweedie<T: CUDAScalar>(base: DevicePointer<Double>, baseScale: Double, correction: DevicePointer<T>, count: Int, scale: Double,
                                       factor: Double, into out: DevicePointer<Double>) throws(CUDAError) {
        try launch(.tweedie, T.self, elements: count,
                   [.pointer(base), .double(baseScale), .pointer(correction), int(count), .double(scale), .double(factor), .pointer(out)])
    }

    /// input[r·stride + j] = alphas[t_r]·x₀ + sigmas[t_r]·T(noise) (score matching's noisy input).
    public func diffuse<T: CUDAScalar>(data x0: DevicePointer<T>, noise: DevicePointer<Double>, steps: DevicePointer<Int32>,
                                       alphas: DevicePointer<T>, sigmas: DevicePointer<T>, rows: Int, columns: Int,
                                       into input: DevicePointer<T>, stride: Int) throws(CUDAError) {
        try launch(.diffuse, T.self, elements: rows * columns,
                   [.pointer(x0), .pointer(noise), .pointer(steps), .pointer(alphas), .pointer(sigmas), int(rows), int(columns),
                    .pointer(input), int(stride)])
    }

    /// out[r·stride + j] = table[indices[r]·width + j].
    public func gatherRows<T: CUDAScalar>(table: DevicePointer<T>, indices: DevicePointer<Int32>, rows: Int, width: Int,
                                          into out: DevicePointer<T>, stride: Int) throws(CUDAError) {
        try launch(.gatherRows, T.self, elements: rows * width,
                   [.pointer(table), .pointer(indices), int(rows), int(width), .pointer(out), int(stride)])
    }

    /// Score matching's cotangent (scale·c)·((c·out + s·x_t) − T(noise)), s and c of each row's step, and each
    /// row's sum of squares (one thread per row).
    public func scoreResidual<T: CUDAScalar>(output: DevicePointer<T>, input: DevicePointer<T>, stride: Int, steps: DevicePointer<Int32>,
                                             skips: DevicePointer<T>, outputScales: DevicePointer<T>, noise: DevicePointer<Double>, rows: Int,
                                             columns: Int, scale: T, cotangent: DevicePointer<T>, rowSquares: DevicePointer<Double>) throws(CUDAError) {
        try launch(.scoreResidual, T.self, elements: rows,
                   [.pointer(output), .pointer(input), int(stride), .pointer(steps), .pointer(skips), .pointer(outputScales), .pointer(noise),
                    int(rows), int(columns), scale.kernelArgument, .pointer(cotangent), .pointer(rowSquares)])
    }

    /// G_loss's shift of x̂₀ (rule 0: code, 1: theory, 2: constant β), one thread per row.
    public func lookaheadShift(denoised x0: DevicePointer<Double>, vjp v: DevicePointer<Double>, gradients g: DevicePointer<Double>,
                               targets y: DevicePointer<Double>, rows: Int, columns: Int, rule: Int32, parameter: Double,
                               coefficient: Double, alpha: Double, h: Double) throws(CUDAError) {
        try launch(.lookaheadShift, Double.self, elements: rows,
                   [.pointer(x0), .pointer(v), .pointer(g), .pointer(y), int(rows), int(columns), .int32(rule), .double(parameter),
                    .double(coefficient), .double(alpha), .double(h)])
    }

    /// Standard normals of stream rows firstRow ..< firstRow + rows (`RandomStream.fillNormals`), with the
    /// ziggurat tables `x` and `fx` (257 entries each) already on the device.
    public func normals(into out: DevicePointer<Double>, rows: Int, columns: Int, firstRow: UInt32, key: (UInt32, UInt32),
                        index: (low: UInt32, high: UInt32), zigguratX: DevicePointer<Double>, zigguratFX: DevicePointer<Double>) throws(CUDAError) {
        try launch(.normals, Double.self, elements: rows,
                   [.pointer(out), int(rows), int(columns), .uint32(firstRow), .uint32(key.0), .uint32(key.1), .uint32(index.low),
                    .uint32(index.high), .pointer(zigguratX), .pointer(zigguratFX)])
    }

    private func launch<T: CUDAScalar>(_ kernel: CUDAKernel, _: T.Type, elements: Int, _ arguments: [KernelArgument?]) throws(CUDAError) {
        var args: [KernelArgument] = []
        for a in arguments {
            guard let a else { throw .invalidArgument("\(kernel.symbol(T.cudaPrecision)): a size exceeds the kernels' int range") }
            args.append(a)
        }
        guard elements <= Int(Int32.max) else {
            throw .invalidArgument("\(kernel.symbol(T.cudaPrecision)): \(elements) elements exceed the kernels' int range")
        }
        try function(kernel, T.cudaPrecision).launch(elements: elements, arguments: args)
    }

    /// An `int` argument, or nil when `value` is negative or does not fit.
    private func int(_ value: Int) -> KernelArgument? {
        value >= 0 && value <= Int(Int32.max) ? .int32(Int32(value)) : nil
    }
}
