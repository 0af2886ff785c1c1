import Foundation

/// A generator of values of type `Value` from a `ChoiceSource`. Generators compose: `map`, dependent
/// `flatMap` (choose D, then d ≤ D, then an A of that shape), `zip`, `oneOf`, arrays.
public struct Gen<Value> {
    public let generate: (ChoiceSource) throws -> Value

    public init(_ generate: @escaping (ChoiceSource) throws -> Value) { self.generate = generate }

    public func map<T>(_ f: @escaping (Value) throws -> T) -> Gen<T> { Gen<T> { try f(self.generate($0)) } }

    /// Dependent generation: the next generator is chosen from this one's value.
    public func flatMap<T>(_ f: @escaping (Value) throws -> Gen<T>) -> Gen<T> {
        Gen<T> { source in try f(self.generate(source)).generate(source) }
    }

    /// Keeps values satisfying `predicate`, retrying up to `attempts` times.
    public func filter(_ what: String, attempts: Int = 20, _ predicate: @escaping (Value) -> Bool) -> Gen<Value> {
        Gen { source in
            for _ in 0..<attempts {
                let v = try self.generate(source)
                if predicate(v) { return v }
            }
            throw GenerationError.rejected(what)
        }
    }

    public static func constant(_ v: Value) -> Gen<Value> { Gen { _ in v } }
}

extension Gen {
    public static func zip<A, B>(_ a: Gen<A>, _ b: Gen<B>) -> Gen<(A, B)> where Value == (A, B) {
        Gen { s in (try a.generate(s), try b.generate(s)) }
    }
}

/// The standard generators. Choice 0 always gives the simplest value (the lower end of a range, the
/// first alternative, false), which is what shrinking moves towards.
public enum Gens {
    /// An integer in the closed range; shrinks towards the lower end.
    public static func int(in range: ClosedRange<Int>) -> Gen<Int> {
        Gen { s in range.lowerBound + Int(try s.draw(below: UInt64(range.upperBound - range.lowerBound) + 1)) }
    }

    /// A Double in [lower, upper] on a grid of 2²⁰ points; shrinks towards `lower`.
    public static func double(in range: ClosedRange<Double>) -> Gen<Double> {
        Gen { s in
            let steps: UInt64 = 1 << 20
            let k = try s.draw(below: steps + 1)
            return range.lowerBound + (range.upperBound - range.lowerBound) * Double(k) / Double(steps)
        }
    }

    /// A Double whose logarithm is uniform on [log lower, log upper]; shrinks towards `lower`.
    public static func logUniform(in range: ClosedRange<Double>) -> Gen<Double> {
        double(in: log(range.lowerBound)...log(range.upperBound)).map { exp($0) }
    }

    /// false, or true; shrinks towards false.
    public static var bool: Gen<Bool> { Gen { s in try s.draw(below: 2) == 1 } }

    /// One of the elements; shrinks towards the first.
    public static func element<T>(of elements: [T]) -> Gen<T> {
        precondition(!elements.isEmpty, "element(of:) needs elements")
        return Gen { s in elements[Int(try s.draw(below: UInt64(elements.count)))] }
    }

    /// One of the generators; shrinks towards the first.
    public static func oneOf<T>(_ generators: [Gen<T>]) -> Gen<T> {
        precondition(!generators.isEmpty, "oneOf needs generators")
        return Gen { s in try generators[Int(try s.draw(below: UInt64(generators.count)))].generate(s) }
    }

    /// A seed for the case's own random draws; shrinks towards 0.
    public static var seed: Gen<UInt64> { Gen { s in try s.draw(below: UInt64(1) << 32) } }

    /// `count` values.
    public static func array<T>(_ element: Gen<T>, count: Int) -> Gen<[T]> {
        Gen { s in try (0..<count).map { _ in try element.generate(s) } }
    }
}
