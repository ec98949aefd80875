using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FinNet.Exchanges;
using FinNet.Investors;

namespace FinNet.Messaging.Kafka;

/// <summary>An exchange's end-of-day marker on one partition of the price topic: how many distinct prices of that date it sent there, or that it was closed.</summary>
public sealed record EndOfDayMarker(string ExchangeId, DateOnly Date, int Partition, int Prices, bool Closed);

/// <summary>What a message on the price topic turned out to be.</summary>
public abstract record PriceTopicMessage
{
    private PriceTopicMessage() { }

    public sealed record Price(PriceQuote Quote) : PriceTopicMessage;

    public sealed record Marker(EndOfDayMarker EndOfDay) : PriceTopicMessage;

    /// <summary>Not a price or a marker: goes to the dead-letter topic with <see cref="Reason"/>.</summary>
    public sealed record Malformed(string Reason) : PriceTopicMessage;
}

/// <summary>
/// The JSON wire format, compatible with the original Python system. Price, key = ticker:
/// <c>{"TICK": "IBM", "PRICE": 252.37, "DATE": "2000-01-03", "EXCHANGE": "SE1"}</c>. NAV, key = <c>Inv1_P11</c>:
/// <c>{"investor_id", "portfolio_id", "date", "value", "change", "change_pct"}</c> for the whole portfolio, to which
/// FinNet adds <c>nav_per_share</c>, <c>shares_outstanding</c>, <c>nav_change</c> and <c>nav_change_pct</c> (per share).
/// End-of-day marker (FinNet's exchanges, on every partition of the price topic):
/// <c>{"MARKER": "END_OF_DAY", "EXCHANGE": "SE1", "DATE": "2000-01-03", "PARTITION": 2, "PRICES": 3, "CLOSED": false}</c>.
/// </summary>
/// <remarks>
/// Reading is lenient the way other producers of the format need: PRICE as a number or a numeric string, change
/// absent or null on a first day, unknown fields ignored. Anything else is malformed, with a reason.
/// </remarks>
public static class KafkaWire
{
    public const string MarkerKind = "END_OF_DAY";

    public static byte[] Price(PriceQuote quote) => Write(json =>
    {
        json.WriteString("TICK", quote.Ticker);
        json.WriteNumber("PRICE", quote.Price);
        json.WriteString("DATE", IsoDate(quote.Date));
        json.WriteString("EXCHANGE", quote.ExchangeId);
    });

    public static byte[] Marker(EndOfDayMarker marker) => Write(json =>
    {
        json.WriteString("MARKER", MarkerKind);
        json.WriteString("EXCHANGE", marker.ExchangeId);
        json.WriteString("DATE", IsoDate(marker.Date));
        json.WriteNumber("PARTITION", marker.Partition);
        json.WriteNumber("PRICES", marker.Prices);
        json.WriteBoolean("CLOSED", marker.Closed);
    });

    /// <summary>
    /// A NAV in the original's shape (value, change and change_pct of the whole portfolio: change is value minus
    /// the previous day's value, change_pct that change in percent of the previous value, half-even to 6 places)
    /// plus FinNet's per-share fields.
    /// </summary>
    public static byte[] Nav(NavUpdate nav) => Write(json =>
    {
        decimal? change = nav.PreviousValue is { } previous ? nav.Value - previous : null;
        json.WriteString("investor_id", nav.InvestorId);
        json.WriteString("portfolio_id", nav.PortfolioId);
        json.WriteString("date", IsoDate(nav.Date));
        json.WriteNumber("value", nav.Value);
        WriteNullable(json, "change", change);
        WriteNullable(json, "change_pct", change is { } c ? PortfolioValuer.Round(c * 100m / nav.PreviousValue!.Value) : null);
        json.WriteNumber("nav_per_share", nav.NavPerShare);
        json.WriteNumber("shares_outstanding", nav.SharesOutstanding);
        WriteNullable(json, "nav_change", nav.Change);
        WriteNullable(json, "nav_change_pct", nav.ChangePercent);
    });

    /// <summary>
    /// A valuation worker's snapshot of one state partition (FinNet's own record on <c>&lt;nav-topic&gt;.state</c>,
    /// key = the partition number): <c>{"STATE": "VALUATION", "VERSION": 1, "PARTITION": 3, "RELEASED": "2024-01-05",
    /// "PRICES": {"SE1": [offset per price partition, -1 for none], ...}, "PORTFOLIOS": {"Inv1_P11": {"date",
    /// "nav_per_share", "nav_change", "nav_change_pct", "value"}, ...}}</c>.
    /// </summary>
    public static byte[] Snapshot(ValuationSnapshot snapshot) => Write(json =>
    {
        json.WriteString("STATE", SnapshotKind);
        json.WriteNumber("VERSION", 1);
        json.WriteNumber("PARTITION", snapshot.Partition);
        json.WriteString("RELEASED", IsoDate(snapshot.Prices.Released));
        json.WriteStartObject("PRICES");
        foreach (var (exchange, ends) in snapshot.Prices.AfterLastMarker)
        {
            json.WriteStartArray(exchange);
            foreach (var end in ends)
                json.WriteNumberValue(end);
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteStartObject("PORTFOLIOS");
        foreach (var (key, position) in snapshot.Portfolios)
        {
            json.WriteStartObject(key);
            json.WriteString("date", IsoDate(position.Last.AsOf));
            json.WriteNumber("nav_per_share", position.Last.NavPerShare);
            WriteNullable(json, "nav_change", position.Last.Change);
            WriteNullable(json, "nav_change_pct", position.Last.ChangePercent);
            WriteNullable(json, "value", position.Value);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    });

    public const string SnapshotKind = "VALUATION";

    /// <summary>A snapshot read back, or null with the reason it is not one (a foreign or damaged record is skipped, never trusted).</summary>
    public static (ValuationSnapshot? Snapshot, string? Problem) ReadSnapshot(ReadOnlySpan<byte> value)
    {
        try
        {
            using var document = JsonDocument.Parse(value.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "STATE") != SnapshotKind)
                return (null, "not a valuation snapshot");
            if (!root.TryGetProperty("VERSION", out var version) || !version.TryGetInt32(out var v) || v != 1)
                return (null, $"unknown snapshot version {(root.TryGetProperty("VERSION", out var raw) ? raw.GetRawText() : "(none)")}");
            if (!root.TryGetProperty("PARTITION", out var p) || !p.TryGetInt32(out var partition) || Date(root, "RELEASED") is not { } released
                || !root.TryGetProperty("PRICES", out var prices) || prices.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("PORTFOLIOS", out var portfolios) || portfolios.ValueKind != JsonValueKind.Object)
                return (null, "snapshot without PARTITION, RELEASED, PRICES or PORTFOLIOS");
            var ends = new Dictionary<string, long[]>(StringComparer.Ordinal);
            foreach (var exchange in prices.EnumerateObject())
                ends[exchange.Name] = [.. exchange.Value.EnumerateArray().Select(e => e.GetInt64())];
            var positions = new Dictionary<string, PortfolioPosition>(StringComparer.Ordinal);
            foreach (var portfolio in portfolios.EnumerateObject())
            {
                var entry = portfolio.Value;
                if (Date(entry, "date") is not { } date || Number(entry, "nav_per_share") is not { } nav)
                    return (null, $"snapshot entry {portfolio.Name} without date or nav_per_share");
                positions[portfolio.Name] = new PortfolioPosition(new NavPoint(date, nav, Number(entry, "nav_change"), Number(entry, "nav_change_pct")), Number(entry, "value"));
            }
            return (new ValuationSnapshot(partition, new PriceResume(released, ends), positions), null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, $"not a readable snapshot ({e.Message.Split('.')[0]})");
        }
    }

    public static PriceTopicMessage ReadPriceTopic(ReadOnlySpan<byte> value, int partition)
    {
        var fields = new Scalar[PriceTopicFields.Length];
        if (ReadObject(value, PriceTopicFields, fields) is { } problem)
            return new PriceTopicMessage.Malformed(problem);
        var (kind, exchange, day) = (fields[0], fields[1].Text, fields[2].Date);
        if (kind.Kind != JsonTokenType.None)
        {
            if (kind.Kind != JsonTokenType.String || kind.Text != MarkerKind)
                return new PriceTopicMessage.Malformed($"unknown marker {kind.RawText(value)}");
            return exchange is not null && day is { } markerDate && fields[3].Count is >= 0 and var prices
                ? new PriceTopicMessage.Marker(new EndOfDayMarker(exchange, markerDate, partition, prices, fields[4].Kind == JsonTokenType.True))
                : new PriceTopicMessage.Malformed("marker without EXCHANGE, DATE or PRICES");
        }
        var (ticker, price) = (fields[5].Text, fields[6].Number);
        if (ticker is null || day is null || price is null)
            return new PriceTopicMessage.Malformed($"price without a valid {(ticker is null ? "TICK" : day is null ? "DATE" : "PRICE")}");
        if (price <= 0)
            return new PriceTopicMessage.Malformed($"PRICE {price} is not positive");
        return new PriceTopicMessage.Price(new PriceQuote(ticker, day.Value, price.Value, exchange ?? ""));
    }

    /// <summary>
    /// A NAV message as a stored row. Without FinNet's per-share fields (another producer), NAV per share is value /
    /// shares outstanding rounded half-even to 6 places, with <paramref name="sharesOutstanding"/> from the network,
    /// and its change is taken from consecutive NAVs per share: this NAV's minus the previous day's, whose value is
    /// value - change (never change / shares, which rounds differently). Null with a reason when malformed.
    /// </summary>
    public static (NavUpdate? Nav, string? Problem) ReadNav(ReadOnlySpan<byte> value, Func<string, string, decimal?> sharesOutstanding)
    {
        var fields = new Scalar[NavFields.Length];
        if (ReadObject(value, NavFields, fields) is { } problem)
            return (null, problem);
        var (investor, portfolio, date, amount) = (fields[0].Text, fields[1].Text, fields[2].Date, fields[3].Number);
        if (investor is null || portfolio is null || date is null || amount is null)
            return (null, "NAV without investor_id, portfolio_id, date or value");
        var shares = fields[4].Number ?? sharesOutstanding(investor, portfolio);
        if (shares is not > 0)
            return (null, $"no shares outstanding known for {investor}_{portfolio}");
        var nav = fields[5].Number ?? PortfolioValuer.Round(amount.Value / shares.Value);
        var previousValue = amount - fields[6].Number;
        var (change, percent) = (fields[7].Number, fields[8].Number);
        if (change is null && previousValue is { } before)
        {
            var previousNav = PortfolioValuer.Round(before / shares.Value);
            change = PortfolioValuer.Round(nav - previousNav);
            percent = previousNav == 0 ? null : PortfolioValuer.Round(change.Value * 100m / previousNav);
        }
        return (new NavUpdate(investor, portfolio, date.Value, amount.Value, shares.Value, nav, change, change is null ? null : percent, previousValue), null);
    }

    /// <summary>The fields <see cref="ReadPriceTopic"/> reads, in the order of its scalars: a marker's, then a price's.</summary>
    private static readonly byte[][] PriceTopicFields = [.. new[] { "MARKER", "EXCHANGE", "DATE", "PRICES", "CLOSED", "TICK", "PRICE" }.Select(Encoding.UTF8.GetBytes)];

    /// <summary>The fields <see cref="ReadNav"/> reads, in the order of its scalars.</summary>
    private static readonly byte[][] NavFields =
        [.. new[] { "investor_id", "portfolio_id", "date", "value", "shares_outstanding", "nav_per_share", "change", "nav_change", "nav_change_pct" }.Select(Encoding.UTF8.GetBytes)];

    /// <summary>
    /// Reads a JSON object's top-level values named <paramref name="names"/> into <paramref name="values"/> in one
    /// pass of <see cref="Utf8JsonReader"/> (a message is read once, without building a document over a copy: the
    /// recorder's decoding of the default history went from 1.1 to 0.9 s, JIT-compiled). As <see cref="JsonDocument"/> would: the whole text must be
    /// one valid JSON value, a name given twice means its last value, other names and nested values are skipped.
    /// Returns why the text is not a JSON object, or null.
    /// </summary>
    private static string? ReadObject(ReadOnlySpan<byte> json, byte[][] names, Scalar[] values)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            var isObject = reader.TokenType == JsonTokenType.StartObject;
            while (isObject && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = names.Length - 1;
                while (field >= 0 && !reader.ValueTextEquals(names[field]))
                    field--;
                reader.Read();
                if (field >= 0)
                    values[field] = Scalar.Read(ref reader);
                else
                    reader.Skip();
            }
            if (!isObject)
                reader.Skip();
            // Past the root value only whitespace may follow: anything else throws here, as it would in JsonDocument.Parse.
            reader.Read();
            return isObject ? null : "not a JSON object";
        }
        catch (JsonException e)
        {
            return $"not JSON ({e.Message.Split('.')[0]})";
        }
    }

    /// <summary>
    /// One value as FinNet's readers take it: a non-empty string as text (and as a date when it is yyyy-MM-dd), a
    /// number or a string holding one (other producers send both) as a decimal, an integral number as a count; and
    /// where its text is in the message, for a reason that quotes it.
    /// </summary>
    private readonly record struct Scalar(JsonTokenType Kind, string? Text, decimal? NumberToken, int? Count, Range Source)
    {
        public DateOnly? Date => ParseDate(Text);

        public decimal? Number => Kind == JsonTokenType.String ? ParseNumber(Text) : NumberToken;

        public string RawText(ReadOnlySpan<byte> json) => Encoding.UTF8.GetString(json[Source]);

        public static Scalar Read(ref Utf8JsonReader reader)
        {
            var (kind, start) = (reader.TokenType, (int)reader.TokenStartIndex);
            var (text, number, count) = kind switch
            {
                JsonTokenType.String => (reader.GetString() is { Length: > 0 } value ? value : null, (decimal?)null, (int?)null),
                JsonTokenType.Number => (null, reader.TryGetDecimal(out var d) ? d : null, reader.TryGetInt32(out var i) ? i : null),
                _ => default,
            };
            reader.Skip(); // past a nested object or array; a scalar is its own end
            return new Scalar(kind, text, number, count, start..(int)reader.BytesConsumed);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } v)
            json.WriteNumber(name, v);
        else
            json.WriteNull(name);
    }

    private static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static DateOnly? Date(JsonElement root, string name) => ParseDate(Text(root, name));

    private static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static decimal? ParseNumber(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    /// <summary>A number, or a string holding one (other producers send both); null if absent, null or not numeric.</summary>
    private static decimal? Number(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
            JsonValueKind.String => ParseNumber(value.GetString()),
            _ => null,
        };
    }
}
