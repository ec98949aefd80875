using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using FinNet.Network;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace FinNet.Storage.MySql;

/// <summary>
/// The production store: a MySQL or MariaDB database (<c>InvestorsDB</c> by default), created with its schema when
/// missing. Dates are DATE, prices, NAVs, changes and percents DECIMAL with 6 places, so the digits equal the
/// SQLite store's text.
/// </summary>
/// <remarks>
/// Every operation takes a pooled connection and is retried as a whole on a transient failure (connection refused
/// or dropped, server restarting, deadlock, lock wait timeout): a batch is one transaction of idempotent inserts,
/// bulk-loaded or upserted (a stored row stands), so a retry after an unknown commit outcome writes the same rows
/// again and nothing twice. Before the server was first reached the retries last the connection string's Connection
/// Timeout (15 s by default), so a server that is down at start gives a clear error rather than a hang; after that
/// they last <see cref="OutageBudget"/>.
/// </remarks>
public sealed class MySqlStore : IFinNetStore
{
    /// <summary>How long a store that has reached its server keeps retrying through an outage (a restart takes seconds).</summary>
    public static readonly TimeSpan OutageBudget = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Rows per multi-row upsert statement. Measured with <c>store-write mariadb 20</c> on 2 cores: 1 row 16k rows/s,
    /// 100 rows 88-95k, 500 to 2,000 rows 100-105k (a plateau; 1,000 keeps a statement well under max_allowed_packet).
    /// </summary>
    internal const int RowsPerStatement = 1000;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    /// <summary>The price table's columns, also the bulk path's staging table's (<see cref="MySqlBulkWrite"/>).</summary>
    internal const string PriceColumns =
        "Ticker VARCHAR(32) NOT NULL, AsOf DATE NOT NULL, Price DECIMAL(20,6) NOT NULL, Exchange VARCHAR(32) NOT NULL";

    /// <summary>The NAV table's columns, also the bulk path's staging table's.</summary>
    internal const string NavColumns =
        "iid VARCHAR(32) NOT NULL, pid VARCHAR(32) NOT NULL, AsOf DATE NOT NULL, NAVperShare DECIMAL(20,6) NOT NULL, " +
        "DailyNAVChange DECIMAL(20,6) NULL, DailyNAVChangePercent DECIMAL(20,6) NULL";

    /// <summary>The series key <c>Inv1_P11</c> in MySQL's dialect, over the NAV table aliased <c>n</c>.</summary>
    private const string SeriesKey = "CONCAT(n.iid, '_', n.pid)";

    private readonly MySqlAddress _address;
    private readonly MySqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly TimeSpan _connectBudget;
    private bool _reachedServer;
    private volatile bool _bulkLoading = true;

    /// <summary>The smallest batch that is bulk-loaded (<see cref="MySqlBulkWrite.MinimumRows"/>; the tests run the store contract on the bulk path with 1).</summary>
    internal int BulkMinimumRows { get; set; } = MySqlBulkWrite.MinimumRows;

    private MySqlStore(MySqlAddress address, ILogger logger)
    {
        _address = address;
        _logger = logger;
        // Affected rather than found rows: an insert that kept a stored row reports 0 for it (InsertKeepingFirstAsync).
        // Local infile for the bulk path (MySqlBulkWrite): MySqlConnector sends only the streams its own bulk loader
        // names, never a file a server asks for.
        var builder = new MySqlConnectionStringBuilder(address.ConnectionString) { UseAffectedRows = true, AllowLoadLocalInfile = true };
        _connectBudget = TimeSpan.FromSeconds(Math.Max(1, builder.ConnectionTimeout));
        _dataSource = new MySqlDataSource(builder.ConnectionString);
    }

    public string Location => _address.Display;

    /// <summary>Opens the store <paramref name="location"/> names (no connection is made until the first operation).</summary>
    public static MySqlStore Open(string location, ILogger? logger = null, Func<string, string?>? environment = null) =>
        new(MySqlAddress.Parse(location, environment ?? Environment.GetEnvironmentVariable), logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    public async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        // The database itself first, over a connection that names none (it may not exist yet).
        var server = new MySqlConnectionStringBuilder(_address.ConnectionString) { Database = "" }.ConnectionString;
        await WithRetryAsync("create the database", async token =>
        {
            await using var connection = new MySqlConnection(server);
            await connection.OpenAsync(token);
            // Asked first, so that a user with rights on an existing database only does not need CREATE rights.
            await using var exists = Command(connection, null, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @database");
            exists.Parameters.AddWithValue("@database", _address.Database);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(token), CultureInfo.InvariantCulture) == 0)
            {
                await ExecuteAsync(connection, null, $"CREATE DATABASE IF NOT EXISTS {_address.Database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", token);
                Log.DatabaseCreated(_logger, Location);
            }
            return true;
        }, cancellationToken);
        await WithRetryAsync("create the schema", async (connection, token) =>
        {
            // Ids compare case-sensitively (utf8mb4_bin), as in SQLite; DECIMAL(20,6) is exact to the NAV's 6 places.
            await ExecuteAsync(connection, null, $"""
                CREATE TABLE IF NOT EXISTS {StoreSchema.Investors} (
                    Id VARCHAR(32) NOT NULL PRIMARY KEY, Name VARCHAR(255) NOT NULL, City VARCHAR(255) NOT NULL) ENGINE=InnoDB;
                CREATE TABLE IF NOT EXISTS {StoreSchema.Portfolios} (
                    Id VARCHAR(32) NOT NULL PRIMARY KEY, Name VARCHAR(255) NOT NULL, Cumulative INT NOT NULL) ENGINE=InnoDB;
                CREATE TABLE IF NOT EXISTS {StoreSchema.InvestorsPortfolios} (
                    iid VARCHAR(32) NOT NULL, pid VARCHAR(32) NOT NULL, PRIMARY KEY (iid, pid),
                    FOREIGN KEY (iid) REFERENCES {StoreSchema.Investors}(Id),
                    FOREIGN KEY (pid) REFERENCES {StoreSchema.Portfolios}(Id)) ENGINE=InnoDB;
                CREATE TABLE IF NOT EXISTS {StoreSchema.StockPrices} ({PriceColumns}, PRIMARY KEY (Ticker, AsOf)) ENGINE=InnoDB;
                CREATE TABLE IF NOT EXISTS {StoreSchema.NavTable} ({NavColumns}, PRIMARY KEY (iid, pid, AsOf)) ENGINE=InnoDB;
                CREATE TABLE IF NOT EXISTS {StoreSchema.Provenance} (
                    Name VARCHAR(32) NOT NULL PRIMARY KEY, Value VARCHAR(255) NOT NULL) ENGINE=InnoDB;
                """, token);
            return true;
        }, cancellationToken);
    }

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        await CreateSchemaAsync(cancellationToken); // a reset of a database that is not there yet is a plain create
        await WithRetryAsync("reset the store", async (connection, token) =>
        {
            var links = new List<(string, string)>();
            await using (var list = Command(connection, null, StoreSchema.SeriesLinks))
            {
                await using var reader = await list.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                    links.Add((reader.GetString(0), reader.GetString(1)));
            }
            // Many views a statement: each DDL statement costs the server about a millisecond of its own (10,000
            // views: 10 statements took 2.2 s; one each, about 9 s).
            foreach (var views in StoreSchema.SeriesNames(links, Location, _logger).Chunk(ViewsPerDrop))
                await ExecuteAsync(connection, null, $"DROP VIEW IF EXISTS {string.Join(", ", views)}", token);
            await ExecuteAsync(connection, null, StoreSchema.DropTables, token);
            return true;
        }, cancellationToken);
        await CreateSchemaAsync(cancellationToken);
    }

    public Task<RunProvenance?> ReadProvenanceAsync(CancellationToken cancellationToken) =>
        WithRetryAsync("read the provenance", async (connection, token) =>
        {
            var values = new Dictionary<string, string>();
            await using var command = Command(connection, null, $"SELECT Name, Value FROM {StoreSchema.Provenance}");
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
                values[reader.GetString(0)] = reader.GetString(1);
            return RunProvenance.FromPairs(values);
        }, cancellationToken);

    public Task<RunProvenance> ClaimAsync(RunProvenance claim, CancellationToken cancellationToken) =>
        WithRetryAsync("claim the store", async (connection, token) =>
        {
            // The inserts take the rows' locks: a second claimant's insert waits for the first to commit, then
            // finds the key taken; the locking read then sees the committed claim. Claim and check are one step.
            await using var transaction = await connection.BeginTransactionAsync(token);
            foreach (var (name, value) in claim.ToPairs())
            {
                await ExecuteAsync(connection, transaction, $"""
                    INSERT INTO {StoreSchema.Provenance} (Name, Value) VALUES (@name, @value) ON DUPLICATE KEY UPDATE Name = Name
                    """, token, ("@name", name), ("@value", value));
            }
            var values = new Dictionary<string, string>();
            await using (var command = Command(connection, transaction, $"SELECT Name, Value FROM {StoreSchema.Provenance} FOR UPDATE"))
            {
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                    values[reader.GetString(0)] = reader.GetString(1);
            }
            var stored = RunProvenance.FromPairs(values)!;
            claim.EnsureMatches(stored, Location); // throws: the transaction rolls back, nothing written
            await transaction.CommitAsync(token);
            return stored;
        }, cancellationToken);

    public Task WriteReferenceDataAsync(InvestmentNetwork network, CancellationToken cancellationToken) =>
        WithRetryAsync("write the reference data", async (connection, token) =>
        {
            // Views first: DDL commits implicitly in MySQL, so it cannot sit inside the rows' transaction.
            await WriteSeriesViewsAsync(connection, network.Portfolios, token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            // Many rows a statement: one statement a row was a round trip each, 30,000 of them at 10,000 portfolios.
            await UpsertRowsAsync(connection, transaction, $"INSERT INTO {StoreSchema.Investors} (Id, Name, City) VALUES",
                "ON DUPLICATE KEY UPDATE Name = VALUES(Name), City = VALUES(City)",
                network.Investors.Select(i => new object[] { i.Id, i.Name, i.City }).ToList(), token);
            await UpsertRowsAsync(connection, transaction, $"INSERT INTO {StoreSchema.Portfolios} (Id, Name, Cumulative) VALUES",
                "ON DUPLICATE KEY UPDATE Name = VALUES(Name), Cumulative = VALUES(Cumulative)",
                network.Portfolios.Select(p => new object[] { p.Id, p.Name, p.Cumulative ? 1 : 0 }).ToList(), token);
            await UpsertRowsAsync(connection, transaction, $"INSERT IGNORE INTO {StoreSchema.InvestorsPortfolios} (iid, pid) VALUES", "",
                network.Portfolios.Select(p => new object[] { p.InvestorId, p.Id }).ToList(), token);
            await transaction.CommitAsync(token);
            return true;
        }, cancellationToken);

    /// <summary>Rows per multi-row reference-data statement: a few thousand parameters, well under the protocol's 65,535.</summary>
    private const int ReferenceRowsPerStatement = 1_000;

    /// <summary>
    /// Runs <paramref name="insert"/> (up to <c>VALUES</c>) with <paramref name="rows"/> as parameters, many rows a
    /// statement, each statement ending in <paramref name="onDuplicate"/>.
    /// </summary>
    private static async Task UpsertRowsAsync(MySqlConnection connection, MySqlTransaction transaction, string insert, string onDuplicate, IReadOnlyList<object[]> rows, CancellationToken token)
    {
        foreach (var chunk in rows.Chunk(ReferenceRowsPerStatement))
        {
            var values = string.Join(", ", chunk.Select((row, r) => $"({string.Join(", ", row.Select((_, c) => $"@p{r}_{c}"))})"));
            await using var command = Command(connection, transaction, $"{insert} {values} {onDuplicate}");
            for (var r = 0; r < chunk.Length; r++)
            {
                for (var c = 0; c < chunk[r].Length; c++)
                    command.Parameters.AddWithValue($"@p{r}_{c}", chunk[r][c]);
            }
            await command.ExecuteNonQueryAsync(token);
        }
    }

    /// <summary>Names per <c>DROP VIEW</c> statement on a reset: a statement of a few kilobytes.</summary>
    private const int ViewsPerDrop = 500;

    /// <summary>
    /// Creates or replaces each portfolio's series view, leaving alone those the server already holds as this
    /// FinNet would write them. One <c>CREATE OR REPLACE VIEW</c> costs the server about a millisecond whatever it
    /// changes, and every service writes the reference data as it starts: 10,000 portfolios' views took 9 s of
    /// every start (mariadb shell, 10,000 statements). The server keeps a view's definition in a form of its own
    /// (qualified, quoted, its own spacing, which MySQL and MariaDB write differently), so the first portfolio's view
    /// is always created and read back as the pattern of all the others: their definitions differ from it only in
    /// the two id literals.
    /// </summary>
    private static async Task WriteSeriesViewsAsync(MySqlConnection connection, IReadOnlyList<Portfolio> portfolios, CancellationToken token)
    {
        static string Create(Portfolio portfolio) => $"CREATE OR REPLACE VIEW {StoreSchema.SeriesName(portfolio)} AS\n{StoreSchema.SeriesViewQuery(portfolio)}";
        if (portfolios.Count == 0)
            return;
        var pattern = portfolios[0];
        await ExecuteAsync(connection, null, Create(pattern), token);
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var views = Command(connection, null, "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()"))
        {
            await using var reader = await views.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
                stored[reader.GetString(0)] = reader.GetString(1);
        }
        // The pattern's definition around its two literals, 'Inv1' then 'P11' (the ids are letters and digits,
        // checked, so a quoted id is nothing else); where that does not hold, every view is written as before.
        var around = stored.TryGetValue(StoreSchema.SeriesName(pattern), out var definition) ? definition.Split($"'{pattern.InvestorId}'") : [];
        var parts = around.Length == 2 ? [around[0], .. around[1].Split($"'{pattern.Id}'")] : Array.Empty<string>();
        foreach (var portfolio in portfolios.Skip(1))
        {
            if (parts.Length == 3 && stored.TryGetValue(StoreSchema.SeriesName(portfolio), out var existing)
                && existing == $"{parts[0]}'{portfolio.InvestorId}'{parts[1]}'{portfolio.Id}'{parts[2]}")
            {
                continue;
            }
            await ExecuteAsync(connection, null, Create(portfolio), token);
        }
    }

    /// <summary>
    /// Bulk-loads a batch of <see cref="BulkMinimumRows"/> rows or more (<see cref="MySqlBulkWrite"/>) while
    /// the server allows <c>LOAD DATA LOCAL INFILE</c>, and upserts a smaller one; once
    /// it refuses (MySQL 8 does by default), says so once and writes multi-row upserts from then on. Both paths keep
    /// the contract: the first row of a key stands, a differing one is refused.
    /// </summary>
    public async Task<RecordBatch> WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        if (_bulkLoading && batch.Prices.Count + batch.Navs.Count >= BulkMinimumRows && MySqlBulkWrite.Fits(batch))
        {
            try
            {
                return await WithRetryAsync("write a batch", (connection, token) => MySqlBulkWrite.WriteAsync(connection, batch, token), cancellationToken);
            }
            catch (MySqlException e) when (MySqlBulkWrite.IsRefused(e))
            {
                _bulkLoading = false; // the transaction was rolled back with its connection: nothing of the batch is stored
                Log.BulkLoadRefused(_logger, Location, OneLine(e.Message));
            }
        }
        return await UpsertAsync(batch, cancellationToken);
    }

    private Task<RecordBatch> UpsertAsync(RecordBatch batch, CancellationToken cancellationToken) =>
        WithRetryAsync("write a batch", async (connection, token) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(token);
            var prices = await InsertKeepingFirstAsync(connection, transaction, batch.Prices,
                $"INSERT INTO {StoreSchema.StockPrices} (Ticker, AsOf, Price, Exchange) VALUES ",
                quote => [quote.Ticker, quote.Date, quote.Price, quote.ExchangeId],
                $"SELECT Ticker, AsOf, Price, Exchange FROM {StoreSchema.StockPrices} WHERE (Ticker, AsOf) IN ",
                quote => [quote.Ticker, quote.Date],
                reader => ((reader.GetString(0), reader.GetDateOnly(1)), (reader.GetDecimal(2), reader.GetString(3))),
                (quote, stored) => stored == (quote.Price, quote.ExchangeId),
                quote => (quote.Ticker, quote.Date), token);
            var navs = await InsertKeepingFirstAsync(connection, transaction, batch.Navs,
                $"INSERT INTO {StoreSchema.NavTable} (iid, pid, AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent) VALUES ",
                nav => [nav.InvestorId, nav.PortfolioId, nav.Date, nav.NavPerShare, (object?)nav.Change ?? DBNull.Value, (object?)nav.ChangePercent ?? DBNull.Value],
                $"SELECT iid, pid, AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent FROM {StoreSchema.NavTable} WHERE (iid, pid, AsOf) IN ",
                nav => [nav.InvestorId, nav.PortfolioId, nav.Date],
                reader => ((reader.GetString(0), reader.GetString(1), reader.GetDateOnly(2)), ReadNavPoint(reader, 2)),
                (nav, stored) => StoreSchema.SameNav(stored, nav),
                nav => (nav.InvestorId, nav.PortfolioId, nav.Date), token);
            await transaction.CommitAsync(token);
            return new RecordBatch(prices, navs);
        }, cancellationToken);

    public Task<StoredRange> ReadStoredRangeAsync(InvestmentNetwork network, CancellationToken cancellationToken) =>
        WithRetryAsync("read the stored range", async (connection, token) =>
        {
            var lastDates = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
            DateOnly? first = null;
            await using (var command = Command(connection, null, StoreSchema.PriceDateRanges))
            await using (var reader = await command.ExecuteReaderAsync(token))
            {
                while (await reader.ReadAsync(token))
                {
                    var min = reader.GetDateOnly(1);
                    first = first is null || min < first ? min : first;
                    lastDates[reader.GetString(0)] = reader.GetDateOnly(2);
                }
            }
            await using (var command = Command(connection, null, StoreSchema.NavLastDates(SeriesKey)))
            await using (var reader = await command.ExecuteReaderAsync(token))
            {
                while (await reader.ReadAsync(token))
                    lastDates[reader.GetString(0)] = reader.GetDateOnly(1);
            }
            return StoredRanges.Of(network, first, lastDates);
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, NavPoint>> ReadLastNavsBeforeAsync(DateOnly date, CancellationToken cancellationToken) =>
        WithRetryAsync<IReadOnlyDictionary<string, NavPoint>>("read the last NAVs", async (connection, token) =>
        {
            var navs = new Dictionary<string, NavPoint>(StringComparer.Ordinal);
            await using var command = Command(connection, null, StoreSchema.LastNavsBefore(SeriesKey, "@date"));
            command.Parameters.AddWithValue("@date", date);
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
                navs[reader.GetString(0)] = ReadNavPoint(reader, 1);
            return navs;
        }, cancellationToken);

    public Task<IReadOnlyList<NavPoint>> ReadNavSeriesAsync(Portfolio portfolio, CancellationToken cancellationToken) =>
        ReadNavSeriesAsync(portfolio, DateOnly.MinValue, cancellationToken);

    public Task<IReadOnlyList<NavPoint>> ReadNavSeriesAsync(Portfolio portfolio, DateOnly after, CancellationToken cancellationToken) =>
        WithRetryAsync<IReadOnlyList<NavPoint>>("read a NAV series", async (connection, token) =>
        {
            var series = new List<NavPoint>();
            await using var command = Command(connection, null, $"""
                SELECT AsOf, NAVperShare, DailyNAVChange, DailyNAVChangePercent FROM {StoreSchema.NavTable}
                WHERE iid = @iid AND pid = @pid AND AsOf > @after ORDER BY AsOf
                """);
            command.Parameters.AddWithValue("@iid", portfolio.InvestorId);
            command.Parameters.AddWithValue("@pid", portfolio.Id);
            command.Parameters.AddWithValue("@after", after);
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
                series.Add(ReadNavPoint(reader, 0));
            return series;
        }, cancellationToken);

    public Task<IReadOnlyList<PriceQuote>> ReadPriceSeriesAsync(string ticker, DateOnly after, CancellationToken cancellationToken) =>
        WithRetryAsync<IReadOnlyList<PriceQuote>>("read a price series", async (connection, token) =>
        {
            var series = new List<PriceQuote>();
            await using var command = Command(connection, null, $"""
                SELECT AsOf, Price, Exchange FROM {StoreSchema.StockPrices} WHERE Ticker = @ticker AND AsOf > @after ORDER BY AsOf
                """);
            command.Parameters.AddWithValue("@ticker", ticker);
            command.Parameters.AddWithValue("@after", after);
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
                series.Add(new PriceQuote(ticker, reader.GetDateOnly(0), reader.GetDecimal(1), reader.GetString(2)));
            return series;
        }, cancellationToken);

    public Task ForEachPriceAsync(Action<PriceQuote> visit, CancellationToken cancellationToken) =>
        WithRetryAsync("read the prices", async (connection, token) =>
        {
            await using var command = Command(connection, null, $"SELECT Ticker, AsOf, Price, Exchange FROM {StoreSchema.StockPrices} ORDER BY Ticker, AsOf");
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
                visit(new PriceQuote(reader.GetString(0), reader.GetDateOnly(1), reader.GetDecimal(2), reader.GetString(3)));
            return true;
        }, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Whether retrying the whole operation on a fresh connection may succeed.</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        MySqlException
        {
            ErrorCode: MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.ServerShutdown
            or MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ConnectionCountError or MySqlErrorCode.QueryInterrupted
        } => true,
        MySqlException mysql => mysql.IsTransient || mysql.InnerException is IOException or SocketException,
        IOException or SocketException or EndOfStreamException => true,
        _ => false,
    };

    private Task<T> WithRetryAsync<T>(string operation, Func<MySqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        WithRetryAsync(operation, async token =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(token);
            return await work(connection, token);
        }, cancellationToken);

    private async Task<T> WithRetryAsync<T>(string operation, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await work(cancellationToken);
                _reachedServer = true;
                return result;
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                var budget = _reachedServer ? OutageBudget : _connectBudget;
                if (clock.Elapsed + backoff > budget)
                {
                    throw new ServiceUnavailableException(
                        $"store {Location}: could not {operation} within {budget.TotalSeconds:0} s ({attempt} attempts; last error: {OneLine(e.Message)})", e);
                }
                Log.StoreRetrying(_logger, Location, operation, attempt, backoff.TotalMilliseconds, OneLine(e.Message));
                // A dropped server leaves dead connections in the pool: start the next attempt on fresh ones.
                await MySqlConnection.ClearAllPoolsAsync(cancellationToken);
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.UnknownDatabase or MySqlErrorCode.NoSuchTable)
            {
                throw new InvalidInputException(
                    $"store {Location} has no FinNet schema ({OneLine(e.Message)}); run 'finnet db init --store ...' or 'finnet run' first", e);
            }
            catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied or MySqlErrorCode.TableAccessDenied)
            {
                throw new InvalidInputException($"store {Location}: {OneLine(e.Message)}", e);
            }
        }
    }

    /// <summary>
    /// <paramref name="rows"/> as multi-row inserts of <see cref="RowsPerStatement"/> rows, every value a positional
    /// parameter, where a stored key keeps its row (a no-op update: 0 affected rows, the connection counting affected
    /// rather than found rows). Only a statement that inserted fewer rows than it sent reads its keys back, and
    /// returns the rows that differ from what is stored.
    /// </summary>
    private static async Task<List<T>> InsertKeepingFirstAsync<T, TKey, TStored>(
        MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<T> rows, string insert, Func<T, object[]> values,
        string selectStored, Func<T, object[]> keyValues, Func<MySqlDataReader, (TKey Key, TStored Row)> readStored, Func<T, TStored, bool> same,
        Func<T, TKey> keyOf, CancellationToken cancellationToken)
        where TKey : notnull
    {
        var refused = new List<T>();
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, rows.Count - start);
            int inserted;
            await using (var command = new MySqlCommand { Connection = connection, Transaction = transaction })
            {
                for (var i = start; i < start + count; i++)
                {
                    foreach (var value in values(rows[i]))
                        command.Parameters.Add(new MySqlParameter { Value = value });
                }
                // Both tables key on a date column AsOf: setting it to itself changes nothing.
                command.CommandText = UpsertText(insert, columns: command.Parameters.Count / count, count, "ON DUPLICATE KEY UPDATE AsOf = AsOf");
                inserted = await command.ExecuteNonQueryAsync(cancellationToken);
            }
            if (inserted == count)
                continue;
            var stored = new Dictionary<TKey, TStored>();
            await using (var select = new MySqlCommand { Connection = connection, Transaction = transaction })
            {
                for (var i = start; i < start + count; i++)
                {
                    foreach (var value in keyValues(rows[i]))
                        select.Parameters.Add(new MySqlParameter { Value = value });
                }
                select.CommandText = UpsertText(selectStored + "(", columns: select.Parameters.Count / count, count, ")");
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var (key, row) = readStored(reader);
                    stored[key] = row;
                }
            }
            for (var i = start; i < start + count; i++)
            {
                if (!same(rows[i], stored[keyOf(rows[i])]))
                    refused.Add(rows[i]);
            }
        }
        return refused;
    }

    private static string UpsertText(string insert, int columns, int rows, string onDuplicate)
    {
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", columns)) + ")";
        var text = new StringBuilder(insert, insert.Length + (rows * (row.Length + 2)) + onDuplicate.Length + 1);
        for (var i = 0; i < rows; i++)
            text.Append(i == 0 ? "" : ", ").Append(row);
        return text.Append(' ').Append(onDuplicate).ToString();
    }

    private static NavPoint ReadNavPoint(MySqlDataReader reader, int first) => new(
        reader.GetDateOnly(first),
        reader.GetDecimal(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetDecimal(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetDecimal(first + 3));

    private static MySqlCommand Command(MySqlConnection connection, MySqlTransaction? transaction, string sql) =>
        new(sql, connection, transaction);

    /// <summary>Runs <paramref name="sql"/> with named parameters; returns the affected rows (this store counts affected, not found, rows).</summary>
    internal static async Task<int> ExecuteAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
}
