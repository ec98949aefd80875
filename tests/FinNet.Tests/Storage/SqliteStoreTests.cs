using System.Globalization;
using FinNet.Storage;
using FinNet.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace FinNet.Tests.Storage;

public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("store.db");

    protected override Task<IFinNetStore> OpenEmptyStoreAsync() => Task.FromResult<IFinNetStore>(SqliteStore.Open(DatabasePath));

    protected override Task<IFinNetStore> ReopenAsync() => OpenEmptyStoreAsync();

    protected override Task<List<string?[]>> QueryAsync(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).ToArray());
        return Task.FromResult(rows);
    }

    [Fact]
    public void A_store_in_a_missing_folder_is_bad_input()
    {
        var error = Assert.Throws<InvalidInputException>(() => SqliteStore.Open("/nonexistent-folder/x.db"));

        Assert.StartsWith("--store sqlite:/nonexistent-folder/x.db: the folder /nonexistent-folder does not exist", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
