using System.Globalization;
using System.Text.RegularExpressions;

namespace FinNet.Tests.Fixtures;

/// <summary>
/// What a valuation worker's log (<c>--log-level information</c>) says of its work, read back by the tests and the
/// benchmarks: the state partitions it owned (the inverse of the <c>portfolios.state[0-3,5]</c> notation it logs)
/// and the NAVs it published.
/// </summary>
public static partial class WorkerLog
{
    [GeneratedRegex(@"owns portfolios\.state\[([0-9,\-]*)\]")]
    private static partial Regex Owns();

    [GeneratedRegex(@"Valuation worker stopping: ([0-9]+) NAVs")]
    private static partial Regex Stopping();

    /// <summary>Each "owns" line, in order: the state partitions the worker held from then on.</summary>
    public static List<HashSet<int>> Ownership(string log) => Owns().Matches(log).Select(m => m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .SelectMany(range => range.Split('-') is [var a, var b] ? Enumerable.Range(Number(a), Number(b) - Number(a) + 1) : [Number(range)])
        .ToHashSet()).ToList();

    /// <summary>The NAVs its stopping line counts, or null before it stopped.</summary>
    public static long? NavsPublished(string log) => Stopping().Match(log) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
