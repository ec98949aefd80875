using System.Globalization;

namespace FinNet.Storage;

/// <summary>
/// What produced a store's data. A store belongs to one network; the first run into it also fixes the seed and
/// the price model. A writer with a different network, or a run with a different seed or model, is refused
/// (unless <c>--reset</c>), because the stored prices and NAVs would no longer be one history.
/// </summary>
/// <param name="Seed">The run's seed; null for a writer that knows none (<c>db init</c>, <c>recorder</c>).</param>
/// <param name="Model">The run's price model; null for a writer that knows none.</param>
public sealed record RunProvenance(long? Seed, string? Model, string NetworkFingerprint)
{
    /// <summary>A writer that knows only the network: it claims the network and leaves seed and model to the first run.</summary>
    public static RunProvenance OfNetwork(string fingerprint) => new(null, null, fingerprint);

    /// <summary>The stored form: one (name, value) row each for the network and, when known, seed and model.</summary>
    public IEnumerable<(string Name, string Value)> ToPairs()
    {
        yield return ("network", NetworkFingerprint);
        if (Seed is { } seed)
            yield return ("seed", seed.ToString(CultureInfo.InvariantCulture));
        if (Model is { } model)
            yield return ("model", model);
    }

    /// <summary>The provenance stored as <see cref="ToPairs"/> wrote it, or null for a store that has none yet.</summary>
    public static RunProvenance? FromPairs(IReadOnlyDictionary<string, string> values) =>
        values.TryGetValue("network", out var network)
            ? new RunProvenance(
                values.TryGetValue("seed", out var seed) ? long.Parse(seed, CultureInfo.InvariantCulture) : null,
                values.GetValueOrDefault("model"),
                network)
            : null;

    /// <summary>Throws if <paramref name="stored"/> was produced differently, naming each difference; what either side does not know is no difference.</summary>
    public void EnsureMatches(RunProvenance? stored, string location)
    {
        if (stored is null)
            return;
        var differences = new List<string>();
        if (stored.Seed is { } storedSeed && Seed is { } seed && storedSeed != seed)
            differences.Add($"seed {storedSeed} (this run: {seed})");
        if (stored.Model is { } storedModel && Model is { } model && storedModel != model)
            differences.Add($"model {storedModel} (this run: {model})");
        if (stored.NetworkFingerprint != NetworkFingerprint)
            differences.Add($"a different network (sha256 {stored.NetworkFingerprint[..12]}..., this one: {NetworkFingerprint[..12]}...)");
        if (differences.Count > 0)
        {
            throw new InvalidInputException(
                $"store {location} holds data produced with {string.Join(", ", differences)}; use another store, or start it afresh with 'finnet run --reset'");
        }
    }
}
