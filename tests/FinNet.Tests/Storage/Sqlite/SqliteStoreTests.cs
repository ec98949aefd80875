using FinNet.Storage;
using FinNet.Storage.Sqlite;

namespace FinNet.Tests.Storage.Sqlite;

public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("store.db");

    protected override Task<IFinNetStore> OpenEmptyStoreAsync() => Task.FromResult<IFinNetStore>(SqliteStore.Open(DatabasePath));

    protected override Task<IFinNetStore> ReopenAsync() => OpenEmptyStoreAsync();

    protected override Task<List<string?[]>> QueryAsync(string sql) => Task.FromResult(SqliteQuery.Rows(DatabasePath, sql));

    protected override Task ExecuteAsync(string sql)
    {
        SqliteQuery.Execute(DatabasePath, sql);
        return Task.CompletedTask;
    }

    protected override Task<List<string>> ViewNamesAsync() =>
        Task.FromResult(SqliteQuery.Rows(DatabasePath, "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").Select(r => r[0]!).ToList());

    [Fact]
    public void A_store_in_a_missing_folder_is_bad_input()
    {
        var error = Assert.Throws<InvalidInputException>(() => SqliteStore.Open("/nonexistent-folder/x.db"));

        Assert.StartsWith("--store sqlite:/nonexistent-folder/x.db: the folder /nonexistent-folder does not exist", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
