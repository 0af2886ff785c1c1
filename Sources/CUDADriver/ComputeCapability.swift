/// A CUDA device's compute capability (major.minor), e.g. 9.0 for an H100.
///
/// It picks the virtual architecture NVRTC compiles for (`compute_90`), and says what the device can
/// do: double precision arithmetic needs 1.3 or later (every device a current driver supports).
public struct ComputeCapability: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// The two digits of NVRTC's architecture names (90 for 9.0).
    public var number: Int { 10 * major + minor }

    /// Whether the device has double-precision units.
    public var supportsDouble: Bool { self >= ComputeCapability(major: 1, minor: 3) }

    public var description: String { "\(major).\(minor)" }

    public static func < (a: Self, b: Self) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
}
