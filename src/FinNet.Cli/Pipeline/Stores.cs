using FinNet.Network;
using FinNet.Storage;
using FinNet.Storage.MySql;
using FinNet.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FinNet.Cli.Pipeline;

/// <summary>
/// Opens the store a <c>--store</c> value names and prepares it for writing. The one place that knows both store
/// adapters: the library's <c>Storage/</c> keeps only the contract, so no folder of it depends on both.
/// </summary>
internal static class Stores
{
    /// <param name="location">The <c>--store</c> value.</param>
    /// <param name="logging">Where the store logs retries and warnings.</param>
    /// <param name="mustExist">For a reader: a SQLite file that is not there is an error, not created empty (a MySQL database is never created by reading).</param>
    public static IFinNetStore Open(string location, ILoggerFactory? logging = null, bool mustExist = false)
    {
        logging ??= NullLoggerFactory.Instance;
        if (location.StartsWith(StoreLocation.SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = location[StoreLocation.SqlitePrefix.Length..];
            if (path.Length == 0)
                throw new InvalidInputException("--store: 'sqlite:' needs a file path, e.g. sqlite:finnet.db");
            if (path.Equals(":memory:", StringComparison.OrdinalIgnoreCase) || path.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
                throw new InvalidInputException("--store: an in-memory SQLite database vanishes with the process and cannot be resumed or reported on; give a file path, e.g. sqlite:finnet.db");
            return SqliteStore.Open(path, mustExist, logging.CreateLogger<SqliteStore>());
        }
        if (MySqlAddress.Matches(location))
            return MySqlStore.Open(location, logging.CreateLogger<MySqlStore>());
        throw new InvalidInputException(
            $"--store: unknown store '{StoreLocation.Redact(location)}' (use sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/DATABASE)");
    }

    /// <summary>
    /// What every writer does first (<c>db init</c>, <c>recorder</c>, <c>run</c>): the database and tables when
    /// missing, a check that the store was produced as <paramref name="provenance"/> says, the caller's own checks of
    /// what is stored, then the atomic claim (<see cref="IFinNetStore.ClaimAsync"/>: of concurrent writers with
    /// different provenance one wins), and only then the network's reference data and series views: a refused
    /// writer leaves the store as it found it.
    /// </summary>
    /// <param name="provenance">A run's seed, model and network; <c>db init</c> and <c>recorder</c> claim the network only.</param>
    /// <param name="checkStored">Checks the caller makes on the existing store before anything is written (throws to refuse).</param>
    public static async Task PrepareAsync(
        IFinNetStore store, InvestmentNetwork network, RunProvenance provenance, CancellationToken cancellationToken, Func<Task>? checkStored = null)
    {
        await store.CreateSchemaAsync(cancellationToken);
        provenance.EnsureMatches(await store.ReadProvenanceAsync(cancellationToken), store.Location);
        if (checkStored is not null)
            await checkStored();
        await store.ClaimAsync(provenance, cancellationToken);
        await store.WriteReferenceDataAsync(network, cancellationToken);
    }
}
