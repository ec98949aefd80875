using System.Text.RegularExpressions;

namespace FinNet.Storage;

/// <summary>What a <c>--store</c> value looks like, and how it is printed (never with a password). Stores are opened by the CLI's composition root.</summary>
public static partial class StoreLocation
{
    public const string Default = "sqlite:finnet.db";

    /// <summary>The scheme of a SQLite store: <c>sqlite:PATH</c>.</summary>
    public const string SqlitePrefix = "sqlite:";

    /// <summary>A location as it may be printed: any password (in a URI or a <c>Password=</c> setting) replaced by ***.</summary>
    public static string Redact(string location)
    {
        var redacted = PasswordSetting.Replace(location, "$1***");
        var schemeEnd = redacted.IndexOf("://", StringComparison.Ordinal);
        var at = redacted.LastIndexOf('@');
        if (schemeEnd >= 0 && at > schemeEnd)
        {
            var colon = redacted.IndexOf(':', schemeEnd + 3);
            if (colon >= 0 && colon < at)
                return string.Concat(redacted.AsSpan(0, colon + 1), "***", redacted.AsSpan(at));
        }
        return redacted;
    }

    /// <summary>A connection string's password setting, under any of the names MySqlConnector accepts.</summary>
    [GeneratedRegex("((?:^|[;:?&])\\s*(?:password|pwd)\\s*=\\s*)[^;&]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting { get; }
}
