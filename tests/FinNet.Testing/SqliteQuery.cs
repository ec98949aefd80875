using System.Globalization;
using Microsoft.Data.Sqlite;

namespace FinNet.Tests.Storage;

/// <summary>Reads a SQLite store from outside FinNet, as another tool would: every cell as invariant text, NULL as null.</summary>
public static class SqliteQuery
{
    /// <summary>Runs a writing statement on a connection of its own.</summary>
    public static void Execute(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static List<string?[]> Rows(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).ToArray());
        return rows;
    }

    /// <summary>The rows of <paramref name="table"/> in a store another process is writing: 0 until its file and schema exist.</summary>
    public static long CountWhileRunning(string databasePath, string table)
    {
        if (!File.Exists(databasePath))
            return 0;
        try
        {
            return long.Parse(Rows(databasePath, $"SELECT COUNT(*) FROM {table}")[0][0]!, CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0; // the schema is not there yet
        }
    }
}
