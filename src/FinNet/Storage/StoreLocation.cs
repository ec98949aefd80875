using FinNet.Storage.Sqlite;

namespace FinNet.Storage;

/// <summary>Parses <c>--store</c> and opens the store it names.</summary>
public static class StoreLocation
{
    public const string Default = "sqlite:finnet.db";

    public static IFinNetStore Open(string location)
    {
        if (location.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = location["sqlite:".Length..];
            if (path.Length == 0)
                throw new InvalidInputException("--store: 'sqlite:' needs a file path, e.g. sqlite:finnet.db");
            return SqliteStore.Open(path);
        }
        throw new InvalidInputException($"--store: unknown store '{Redact(location)}' (use sqlite:PATH)");
    }

    /// <summary>A location as it may be printed: any password replaced by ***.</summary>
    public static string Redact(string location)
    {
        var schemeEnd = location.IndexOf("://", StringComparison.Ordinal);
        var at = location.LastIndexOf('@');
        if (schemeEnd >= 0 && at > schemeEnd)
        {
            var colon = location.IndexOf(':', schemeEnd + 3);
            if (colon >= 0 && colon < at)
                return string.Concat(location.AsSpan(0, colon + 1), "***", location.AsSpan(at));
        }
        return location;
    }
}
