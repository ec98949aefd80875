using System.Buffers;
using System.Globalization;
using System.Text;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Messaging;
using MySqlConnector;

namespace FinNet.Storage.MySql;

/// <summary>
/// A batch written the bulk way, in one transaction: each table's rows are streamed to the server with <c>LOAD DATA
/// LOCAL INFILE</c> (MySqlConnector's <see cref="MySqlBulkLoader"/> over an in-memory stream). Rows with new keys
/// (the usual batch) go straight into the table; a batch with a key that is stored already or comes twice goes
/// through a temporary staging table instead, merged by one <c>INSERT ... SELECT</c> where a stored key keeps its row.
/// </summary>
/// <remarks>
/// The contract holds as on the upsert path: the first row of a key stands (the merge takes a batch's rows of one key
/// in arrival order, and a row whose key is taken changes nothing), and a row that differs from the stored one is
/// returned as refused. The staged rows are compared with the stored ones at the store's 6 places in SQL, and
/// every difference found is confirmed against the row as it arrived.
/// </remarks>
internal static class MySqlBulkWrite
{
    /// <summary>
    /// The smallest batch worth the bulk path's extra statements. Measured with <c>store-write mariadb DAYS</c> (the
    /// default history, 30 rows a trading day; the bulk path against upserts on a server with local_infile off, timed
    /// by turns in the same run): batches of 30 rows 25-26k against 31-34k rows/s, 150 rows 85-89k against 69-76k,
    /// 600 rows 154-159k against 109-119k, 3,000 rows 236-243k against 170-177k, 21,000 rows 260-273k against 131-148k.
    /// </summary>
    public const int MinimumRows = 100;

    private static readonly Table<PriceQuote, (decimal Price, string Exchange)> Prices = new(
        StoreSchema.StockPrices,
        MySqlStore.PriceColumns,
        ["Ticker", "AsOf"],
        ["Price", "Exchange"],
        quote => (quote.Ticker, ""),
        (text, quote) => Field(Field(Field(Field(text, quote.Ticker), quote.Date), quote.Price), quote.ExchangeId),
        reader => (reader.GetDecimal(1), reader.GetString(2)),
        (quote, stored) => stored == (quote.Price, quote.ExchangeId));

    private static readonly Table<NavUpdate, NavPoint> Navs = new(
        StoreSchema.NavTable,
        MySqlStore.NavColumns,
        ["iid", "pid", "AsOf"],
        ["NAVperShare", "DailyNAVChange", "DailyNAVChangePercent"],
        nav => (nav.InvestorId, nav.PortfolioId),
        (text, nav) => Field(Field(Field(Field(Field(Field(text, nav.InvestorId), nav.PortfolioId), nav.Date), nav.NavPerShare), nav.Change), nav.ChangePercent),
        reader => new NavPoint(default, reader.GetDecimal(1), reader.IsDBNull(2) ? null : reader.GetDecimal(2), reader.IsDBNull(3) ? null : reader.GetDecimal(3)),
        (nav, stored) => StoreSchema.SameNav(stored, nav));

    /// <summary>
    /// Whether the server refused <c>LOAD DATA LOCAL INFILE</c>: 1148 (MySQL 5.7 and older MariaDB), 3948 (MySQL 8,
    /// whose <c>local_infile</c> is off by default) or 4166 (MariaDB 10.5 and later with <c>local_infile</c> off).
    /// </summary>
    public static bool IsRefused(MySqlException exception) => exception.Number is 1148 or 3948 or 4166;

    /// <summary>
    /// Whether every value of <paramref name="batch"/> fits its column: amounts DECIMAL(20,6) once rounded to their 6
    /// places, ids VARCHAR(32). LOAD DATA LOCAL clips or cuts a value that does not fit with a mere warning (it
    /// cannot stop the client's stream), where an INSERT fails: such a batch takes the upsert path, which refuses
    /// it as it always did.
    /// </summary>
    public static bool Fits(RecordBatch batch) =>
        batch.Prices.All(q => Fits(q.Price) && Fits(q.Ticker) && Fits(q.ExchangeId))
        && batch.Navs.All(n => Fits(n.InvestorId) && Fits(n.PortfolioId) && Fits(n.NavPerShare)
            && (n.Change is not { } change || Fits(change)) && (n.ChangePercent is not { } percent || Fits(percent)));

    public static async Task<RecordBatch> WriteAsync(MySqlConnection connection, RecordBatch batch, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var prices = await MergeAsync(connection, transaction, batch.Prices, Prices, cancellationToken);
        var navs = await MergeAsync(connection, transaction, batch.Navs, Navs, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecordBatch(prices, navs);
    }

    private static async Task<List<T>> MergeAsync<T, TStored>(
        MySqlConnection connection, MySqlTransaction transaction, IReadOnlyList<T> rows, Table<T, TStored> table, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return [];
        using var text = Text(rows, table);

        // Most batches bring only new keys: loaded straight into the table, every row is taken, and that is all (the
        // place in the batch goes into a variable and no further). LOAD DATA LOCAL skips a row whose key is taken
        // (the server cannot stop the client's stream, so it treats duplicates as IGNORE does): fewer rows taken
        // means a re-delivery or a conflict, and then the load is undone and the batch goes through a staging table,
        // where each row can be compared with what its key keeps.
        await MySqlStore.ExecuteAsync(connection, transaction, "SAVEPOINT before_load", cancellationToken);
        if (await LoadAsync(connection, table.Name, "@seq", text, table, cancellationToken) == rows.Count)
            return [];
        await MySqlStore.ExecuteAsync(connection, transaction, "ROLLBACK TO SAVEPOINT before_load", cancellationToken);

        // A temporary table is the connection's own and neither CREATE nor DROP of one ends the transaction. Its key
        // is the row's place in the batch, so that the first row of a key can be told from a later one.
        var stage = $"{table.Name}_staging";
        var columns = string.Join(", ", table.Keys.Concat(table.Values));
        await MySqlStore.ExecuteAsync(connection, transaction, $"DROP TEMPORARY TABLE IF EXISTS {stage}", cancellationToken);
        await MySqlStore.ExecuteAsync(connection, transaction,
            $"CREATE TEMPORARY TABLE {stage} (seq INT NOT NULL PRIMARY KEY, {table.ColumnTypes}) ENGINE=InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
            cancellationToken);
        var loaded = await LoadAsync(connection, stage, "seq", text, table, cancellationToken);
        // A staging table has no key to collide on: a count that differs is a line the server could not read.
        if (loaded != rows.Count)
            throw new InvalidOperationException($"bulk load into {stage} took {loaded} of {rows.Count} rows");

        // In key order (as the table is clustered), a key's rows in arrival order: the first of them is inserted, a
        // later one (or one whose key is stored) is a no-op update, counted as 0 affected rows.
        var inserted = await MySqlStore.ExecuteAsync(connection, transaction, $"""
            INSERT INTO {table.Name} ({columns}) SELECT {columns} FROM {stage} ORDER BY {string.Join(", ", table.Keys)}, seq
            ON DUPLICATE KEY UPDATE {table.Name}.AsOf = {table.Name}.AsOf
            """, cancellationToken);
        var refused = new List<T>();
        if (inserted < rows.Count)
        {
            await using var differing = new MySqlCommand($"""
                SELECT s.seq, {string.Join(", ", table.Values.Select(v => "n." + v))}
                FROM {stage} s JOIN {table.Name} n ON {string.Join(" AND ", table.Keys.Select(k => $"n.{k} = s.{k}"))}
                WHERE NOT ({string.Join(" AND ", table.Values.Select(v => $"n.{v} <=> s.{v}"))})
                ORDER BY s.seq
                """, connection, transaction);
            await using var reader = await differing.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = rows[reader.GetInt32(0)];
                if (!table.Same(row, table.ReadStored(reader)))
                    refused.Add(row);
            }
        }
        await MySqlStore.ExecuteAsync(connection, transaction, $"DROP TEMPORARY TABLE {stage}", cancellationToken);
        return refused;
    }

    /// <summary>
    /// The rows as LOAD DATA's tab-separated UTF-8 text, one line each, led by its place in the batch, in the table's
    /// key order (<see cref="KeyOrder"/>).
    /// </summary>
    private static Lines Text<T, TStored>(IReadOnlyList<T> rows, Table<T, TStored> table)
    {
        var text = new Lines(rows.Count * 96);
        foreach (var i in KeyOrder(rows, table))
        {
            text.Append(i);
            table.AppendFields(text, rows[i]);
            text.Append((byte)'\n');
        }
        return text;
    }

    /// <summary>
    /// The places of <paramref name="rows"/> in the table's key order: its series (a ticker, a portfolio) in key
    /// order, each series' rows as they came (in date order: a series comes from one partition). A batch arrives in
    /// date order, interleaving every series; InnoDB, clustered by key, then visits each series' last page once per
    /// date. In key order it fills each page in one visit: the kafka recorder benchmark's bare MySqlBulkCopy of the
    /// recorder's own batches (1,000 portfolios, 2020-2022, 1.15M rows) took 247k-301k rows/s in key order against
    /// 196k-284k in date order, by turns in 4 pairs, key order ahead in each. Only speed depends on the order: which
    /// row of a key stands is decided by the place, which each line keeps.
    /// </summary>
    private static List<int> KeyOrder<T, TStored>(IReadOnlyList<T> rows, Table<T, TStored> table)
    {
        var series = new Dictionary<(string, string), List<int>>();
        for (var i = 0; i < rows.Count; i++)
        {
            var key = table.Series(rows[i]);
            if (!series.TryGetValue(key, out var places))
                series[key] = places = [];
            places.Add(i);
        }
        var order = new List<int>(rows.Count);
        foreach (var key in series.Keys.Order(SeriesOrder))
            order.AddRange(series[key]);
        return order;
    }

    /// <summary>The batch's rows in the order the bulk path loads them (<see cref="KeyOrder"/>): the kafka recorder benchmark's bare copy in that order.</summary>
    internal static RecordBatch InKeyOrder(RecordBatch batch) =>
        new([.. KeyOrder(batch.Prices, Prices).Select(i => batch.Prices[i])], [.. KeyOrder(batch.Navs, Navs).Select(i => batch.Navs[i])]);

    /// <summary>Series keys as the tables' binary collation orders them: ordinal, part by part.</summary>
    private static readonly Comparer<(string, string)> SeriesOrder = Comparer<(string, string)>.Create(
        (a, b) => string.CompareOrdinal(a.Item1, b.Item1) is var first and not 0 ? first : string.CompareOrdinal(a.Item2, b.Item2));

    /// <summary>Streams <paramref name="lines"/> into <paramref name="into"/>, the place in the batch into <paramref name="seq"/>; returns the rows taken.</summary>
    private static async Task<int> LoadAsync<T, TStored>(
        MySqlConnection connection, string into, string seq, Lines lines, Table<T, TStored> table, CancellationToken cancellationToken)
    {
        var loader = new MySqlBulkLoader(connection)
        {
            Local = true,
            SourceStream = lines.Stream(),
            TableName = into,
            CharacterSet = "utf8mb4",
            FieldTerminator = "\t",
            LineTerminator = "\n",
            EscapeCharacter = '\\',
        };
        loader.Columns.AddRange([seq, .. table.Keys, .. table.Values]);
        return await loader.LoadAsync(cancellationToken);
    }

    private static bool Fits(string id) => id.Length <= 32;

    private static bool Fits(decimal amount) => Math.Abs(Math.Round(amount, 6, MidpointRounding.AwayFromZero)) < StoreSchema.NumericLimit;

    // One field of a line of LOAD DATA's text: a tab, then the value; NULL is \N, and a backslash, tab or line
    // break inside a text is escaped (ids are checked long before, but the format must not depend on it).
    private static Lines Field(Lines text, string value)
    {
        text.Append((byte)'\t');
        if (value.AsSpan().IndexOfAny('\\', '\t', '\n') < 0 && !value.Contains('\r', StringComparison.Ordinal))
            return text.Append(value);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\t' => text.Append(@"\t"),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                _ => text.Append(c.ToString()),
            };
        }
        return text;
    }

    private static Lines Field(Lines text, DateOnly value) => text.Append((byte)'\t').Append(value, "O");

    private static Lines Field(Lines text, decimal? value) =>
        value is { } amount ? text.Append((byte)'\t').Append(amount) : text.Append((byte)'\t').Append(@"\N");

    /// <summary>
    /// LOAD DATA's text, written straight to UTF-8 into a pooled buffer. Built as a StringBuilder, then a string, then
    /// bytes, a batch of 20,000 rows put about 7 MB on the large object heap each time, and the recorder into MariaDB
    /// paid for it with several gen2 collections a second (dotnet-counters: 0.35-0.4 s of GC pauses a second).
    /// </summary>
    private sealed class Lines(int capacity) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        private int _length;

        public Lines Append(byte value)
        {
            Room(1)[0] = value;
            _length++;
            return this;
        }

        public Lines Append(string value)
        {
            _length += Encoding.UTF8.GetBytes(value, Room(Encoding.UTF8.GetMaxByteCount(value.Length)));
            return this;
        }

        public Lines Append<TValue>(TValue value, string? format = null) where TValue : IUtf8SpanFormattable
        {
            int written;
            while (!value.TryFormat(Room(64), out written, format, CultureInfo.InvariantCulture))
                Grow(_buffer.Length);
            _length += written;
            return this;
        }

        public MemoryStream Stream() => new(_buffer, 0, _length, writable: false);

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

        private Span<byte> Room(int bytes)
        {
            if (_buffer.Length - _length < bytes)
                Grow(bytes);
            return _buffer.AsSpan(_length);
        }

        private void Grow(int bytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    /// <summary>What the bulk path needs to know of one table: its staging columns, key, compared values and row text.</summary>
    private sealed record Table<T, TStored>(
        string Name,
        string ColumnTypes,
        string[] Keys,
        string[] Values,
        Func<T, (string, string)> Series,
        Action<Lines, T> AppendFields,
        Func<MySqlDataReader, TStored> ReadStored,
        Func<T, TStored, bool> Same);
}
