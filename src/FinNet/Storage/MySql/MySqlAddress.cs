using MySqlConnector;

namespace FinNet.Storage.MySql;

/// <summary>
/// A <c>--store</c> value that names a MySQL/MariaDB database, parsed into a connection string and a printable form.
/// Two spellings: <c>mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE][?Key=Value&amp;...]</c> and a plain MySqlConnector
/// connection string after <c>mysql:</c>. The database defaults to <c>InvestorsDB</c>; a missing password is taken
/// from <c>FINNET_MYSQL_PASSWORD</c>, so that it need not appear in shell history.
/// </summary>
internal sealed record MySqlAddress(string ConnectionString, string Database, string Display)
{
    public const string PasswordVariable = "FINNET_MYSQL_PASSWORD";
    private const int DefaultPort = 3306;

    public static bool Matches(string location) => location.StartsWith("mysql:", StringComparison.OrdinalIgnoreCase);

    public static MySqlAddress Parse(string location, Func<string, string?> environment)
    {
        var builder = location.StartsWith("mysql://", StringComparison.OrdinalIgnoreCase)
            ? FromUri(location)
            : FromConnectionString(location);
        if (string.IsNullOrEmpty(builder.Server))
            throw Invalid(location, "no server named (use mysql://USER:PASSWORD@HOST:PORT/DATABASE)");
        if (string.IsNullOrEmpty(builder.UserID))
            throw Invalid(location, "no user named (use mysql://USER:PASSWORD@HOST:PORT/DATABASE)");
        if (string.IsNullOrEmpty(builder.Password) && environment(PasswordVariable) is { Length: > 0 } password)
            builder.Password = password;
        var database = string.IsNullOrEmpty(builder.Database) ? StoreSchema.DefaultMySqlDatabase : builder.Database;
        if (!StoreSchema.IsIdentifier(database))
            throw Invalid(location, $"database name '{database}' is not a plain identifier (letters and digits, at most one '_')");
        builder.Database = database;
        var display = $"mysql://{builder.UserID}@{builder.Server}:{builder.Port}/{database}";
        return new MySqlAddress(builder.ConnectionString, database, display);
    }

    private static MySqlConnectionStringBuilder FromUri(string location)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw Invalid(location, "not a valid URI (use mysql://USER:PASSWORD@HOST:PORT/DATABASE; percent-encode special characters)");
        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new MySqlConnectionStringBuilder
        {
            Server = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : (uint)uri.Port,
            UserID = Uri.UnescapeDataString(userInfo[0]),
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "",
            Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')),
        };
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0
                ? (Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..]))
                : (Uri.UnescapeDataString(pair), "");
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException)
            {
                throw Invalid(location, $"unknown or invalid connection setting '{key}={value}'");
            }
        }
        return builder;
    }

    private static MySqlConnectionStringBuilder FromConnectionString(string location)
    {
        try
        {
            var builder = new MySqlConnectionStringBuilder(location["mysql:".Length..]);
            if (!builder.ContainsKey("Port"))
                builder.Port = DefaultPort;
            return builder;
        }
        catch (ArgumentException e)
        {
            throw Invalid(location, $"not a valid MySQL connection string ({e.Message.Split('\n')[0].TrimEnd('.')})");
        }
    }

    private static InvalidInputException Invalid(string location, string problem) =>
        new($"--store {StoreLocation.Redact(location)}: {problem}");
}
