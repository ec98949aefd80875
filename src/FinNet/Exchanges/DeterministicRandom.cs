using System.Text;

namespace FinNet.Exchanges;

/// <summary>
/// Random numbers addressed by (seed, model, ticker, date) rather than drawn from a shared generator, so that a
/// price never depends on the order in which anything runs. SplitMix64 over a stable FNV-1a hash of the
/// stream's name (never <see cref="string.GetHashCode()"/>, which is randomised per process).
/// </summary>
internal static class DeterministicRandom
{
    public static ulong StreamFor(long seed, string model, string ticker)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes($"{model}\u0001{ticker}"))
            hash = (hash ^ b) * 1099511628211UL;
        return Mix(hash ^ Mix((ulong)seed));
    }

    /// <summary>Uniform in [0, 1).</summary>
    public static double Uniform(ulong stream, DateOnly date) => ToUnit(Mix(stream + (ulong)date.DayNumber * 0x9E3779B97F4A7C15UL));

    /// <summary>Standard normal (Box-Muller on two draws of the same date).</summary>
    public static double StandardNormal(ulong stream, DateOnly date)
    {
        var first = Mix(stream + (ulong)date.DayNumber * 0x9E3779B97F4A7C15UL);
        var second = Mix(first ^ 0xD1B54A32D192ED03UL);
        var u1 = 1.0 - ToUnit(first); // (0, 1]: the logarithm stays finite
        var u2 = ToUnit(second);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static double ToUnit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
