using System.Text.RegularExpressions;
using FinNet.Storage.MySql;
using FinNet.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FinNet.Storage;

/// <summary>Parses <c>--store</c> and opens the store it names.</summary>
public static partial class StoreLocation
{
    public const string Default = "sqlite:finnet.db";

    /// <param name="location">The <c>--store</c> value.</param>
    /// <param name="logging">Where the store logs retries.</param>
    /// <param name="mustExist">For a reader: a SQLite file that is not there is an error, not created empty (a MySQL database is never created by reading).</param>
    public static IFinNetStore Open(string location, ILoggerFactory? logging = null, bool mustExist = false)
    {
        if (location.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = location["sqlite:".Length..];
            if (path.Length == 0)
                throw new InvalidInputException("--store: 'sqlite:' needs a file path, e.g. sqlite:finnet.db");
            return SqliteStore.Open(path, mustExist, (logging ?? NullLoggerFactory.Instance).CreateLogger<SqliteStore>());
        }
        if (MySqlAddress.Matches(location))
            return MySqlStore.Open(location, (logging ?? NullLoggerFactory.Instance).CreateLogger<MySqlStore>());
        throw new InvalidInputException(
            $"--store: unknown store '{Redact(location)}' (use sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/DATABASE)");
    }

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
