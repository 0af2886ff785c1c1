import Testing
@testable import Statistics

@Suite struct NoncentralDistributionTests {
    @Test func noncentralTMatchesScipyNct() throws {
        // (t, df, ncp, scipy.stats.nct.cdf(t, df, ncp), scipy.stats.nct.sf(t, df, ncp)).
        let cases: [(Double, Double, Double, Double, Double)] = [
            (2.0, 10, 1.5, 0.6591540724421909, 0.340845927557809),
            (-1.0, 5, 0.5, 0.08244409105672337, 0.9175559089432767),
            (3.0, 20, -1.0, 0.9998469152055284, 0.0001530847944716624),
            (1.7, 30, 2.5, 0.21318661322282748, 0.7868133867771725),
            (0.0, 8, 1.0, 0.15865525393145707, 0.8413447460685429),
            (4.0, 3, 6.0, 0.11051480124633427, 0.8894851987536657),
        ]
        for (t, df, ncp, cdf, sf) in cases {
            #expect(close(try NoncentralT.cdf(t, df: df, noncentrality: ncp), cdf, relative: 1e-9), "cdf \(t) \(df) \(ncp)")
            #expect(close(try NoncentralT.survival(t, df: df, noncentrality: ncp), sf, relative: 1e-8), "sf \(t) \(df) \(ncp)")
        }
    }

    @Test func noncentralFMatchesScipyNcf() throws {
        // (f, df1, df2, λ, scipy.stats.ncf.sf(f, df1, df2, λ)).
        let cases: [(Double, Double, Double, Double, Double)] = [
            (2.5, 3, 10, 4.0, 0.4300901586654589),
            (1.0, 2, 20, 0.5, 0.4678564251504969),
            (4.0, 5, 15, 20.0, 0.6598058726334757),
        ]
        for (f, d1, d2, lambda, sf) in cases {
            #expect(close(try NoncentralF.survival(f, df1: d1, df2: d2, noncentrality: lambda), sf, relative: 1e-10))
        }
        // λ = 0 is the central F: scipy.stats.f.sf(3, 1, 9). (scipy's ncf.sf returns a
        // negative number at λ = 0, so the central F is the reference.)
        #expect(close(try NoncentralF.survival(3, df1: 1, df2: 9, noncentrality: 0), 0.11730680301423817, relative: 1e-12))
    }
}
