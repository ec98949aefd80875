namespace FinNet.Storage;

/// <summary>
/// What produced a store's data: a run with the same seed, model and network resumes into it; any difference is
/// refused (unless <c>--reset</c>), because the stored prices and NAVs would no longer be one history.
/// </summary>
public sealed record RunProvenance(long Seed, string Model, string NetworkFingerprint)
{
    /// <summary>The stored form: one (name, value) row each for seed, model and network.</summary>
    public IEnumerable<(string Name, string Value)> ToPairs() =>
        [("seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("model", Model), ("network", NetworkFingerprint)];

    /// <summary>The provenance stored as <see cref="ToPairs"/> wrote it, or null for a store that has none yet.</summary>
    public static RunProvenance? FromPairs(IReadOnlyDictionary<string, string> values) =>
        values.Count == 0
            ? null
            : new RunProvenance(long.Parse(values["seed"], System.Globalization.CultureInfo.InvariantCulture), values["model"], values["network"]);

    /// <summary>Throws if <paramref name="stored"/> was produced differently, naming each difference.</summary>
    public void EnsureMatches(RunProvenance? stored, string location)
    {
        if (stored is null || stored == this)
            return;
        var differences = new List<string>();
        if (stored.Seed != Seed)
            differences.Add($"seed {stored.Seed} (this run: {Seed})");
        if (stored.Model != Model)
            differences.Add($"model {stored.Model} (this run: {Model})");
        if (stored.NetworkFingerprint != NetworkFingerprint)
            differences.Add($"a different network (sha256 {stored.NetworkFingerprint[..12]}..., this run: {NetworkFingerprint[..12]}...)");
        throw new InvalidInputException(
            $"store {location} holds data produced with {string.Join(", ", differences)}; use --reset to start it afresh");
    }
}
