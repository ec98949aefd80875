using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace FinNet.Network;

/// <summary>
/// Reads a network file (JSON, the shape of <c>network.default.json</c>) and validates it completely before
/// anything else runs, so that a bad file never reaches a store.
/// </summary>
public static partial class NetworkFile
{
    /// <summary>Name of the built-in network, shipped as <c>src/FinNet/Network/network.default.json</c>.</summary>
    public const string DefaultName = "network.default.json";

    /// <summary>The longest name or city: the stores' VARCHAR(255).</summary>
    public const int MaxTextLength = 255;

    /// <summary>Ids of exchanges, stocks, investors and portfolios. No '_': it joins <c>Inv1_P11</c>.</summary>
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,31}$")]
    public static partial Regex IdPattern { get; }

    public static InvestmentNetwork LoadDefault()
    {
        using var stream = typeof(NetworkFile).Assembly.GetManifestResourceStream("FinNet.network.default.json")
            ?? throw new InvalidOperationException("the default network is missing from the assembly");
        return Parse(stream, DefaultName);
    }

    /// <summary>Loads <paramref name="path"/>, or the built-in network when it is null.</summary>
    public static InvestmentNetwork Load(string? path)
    {
        if (path is null)
            return LoadDefault();
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{path}: cannot read the network file ({e.Message})", e);
        }
    }

    public static InvestmentNetwork Parse(Stream json, string source)
    {
        NetworkDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, NetworkJsonContext.Default.NetworkDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{source}: {Explain(e)}", e);
        }
        if (document is null)
            throw new InvalidInputException($"{source}: the file holds no network");
        return Validate(document, source);
    }

    private static InvestmentNetwork Validate(NetworkDocument document, string source)
    {
        var errors = new Validator(source);
        var exchanges = new List<Exchange>();
        var exchangeIds = new HashSet<string>(StringComparer.Ordinal);
        var tickers = new Dictionary<string, Stock>(StringComparer.Ordinal);

        errors.Require(document.Exchanges is { Count: > 0 }, "exchanges", "at least one exchange is required");
        for (var e = 0; e < (document.Exchanges?.Count ?? 0); e++)
        {
            var exchange = document.Exchanges![e];
            var at = $"exchanges[{e}]";
            var id = errors.Id(exchange.Id, $"{at}.id");
            errors.Require(exchangeIds.Add(id), $"{at}.id", $"duplicate exchange id '{id}'");
            var calendar = TradingCalendar.Find(exchange.Calendar ?? TradingCalendar.Default.Name)
                ?? throw errors.Fail($"{at}.calendar", $"unknown calendar '{exchange.Calendar}' (known: {string.Join(", ", TradingCalendar.Known.Select(c => c.Name))})");
            errors.Require(exchange.Stocks is { Count: > 0 }, $"{at}.stocks", "an exchange lists at least one stock");
            var stocks = new List<Stock>();
            for (var s = 0; s < (exchange.Stocks?.Count ?? 0); s++)
            {
                var stock = exchange.Stocks![s];
                var sat = $"{at}.stocks[{s}]";
                var ticker = errors.Id(stock.Ticker, $"{sat}.ticker");
                var price = errors.Amount(stock.Price, $"{sat}.price", "reference price");
                errors.Require(stock.Volatility is null or >= 0 and <= 5, $"{sat}.volatility", $"volatility must be between 0 and 5, got {stock.Volatility}");
                errors.Require(stock.Drift is null or >= -5 and <= 5, $"{sat}.drift", $"drift must be between -5 and 5, got {stock.Drift}");
                var entity = new Stock(ticker, id, price, stock.Drift, stock.Volatility);
                errors.Require(tickers.TryAdd(ticker, entity), $"{sat}.ticker", $"duplicate ticker '{ticker}' (tickers are unique across the network)");
                stocks.Add(entity);
            }
            exchanges.Add(new Exchange(id, calendar, stocks));
        }

        var investors = new List<Investor>();
        var investorIds = new HashSet<string>(StringComparer.Ordinal);
        var portfolioIds = new HashSet<string>(StringComparer.Ordinal);
        errors.Require(document.Investors is { Count: > 0 }, "investors", "at least one investor is required");
        for (var i = 0; i < (document.Investors?.Count ?? 0); i++)
        {
            var investor = document.Investors![i];
            var at = $"investors[{i}]";
            var id = errors.Id(investor.Id, $"{at}.id");
            errors.Require(investorIds.Add(id), $"{at}.id", $"duplicate investor id '{id}'");
            errors.Require(investor.Portfolios is { Count: > 0 }, $"{at}.portfolios", "an investor manages at least one portfolio");
            var portfolios = new List<Portfolio>();
            for (var p = 0; p < (investor.Portfolios?.Count ?? 0); p++)
            {
                var portfolio = investor.Portfolios![p];
                var pat = $"{at}.portfolios[{p}]";
                var pid = errors.Id(portfolio.Id, $"{pat}.id");
                errors.Require(portfolioIds.Add(pid), $"{pat}.id", $"duplicate portfolio id '{pid}' (portfolio ids are unique across the network)");
                var shares = errors.Amount(portfolio.Shares, $"{pat}.shares", "shares outstanding");
                errors.Require(portfolio.Holdings is { Count: > 0 }, $"{pat}.holdings", "a portfolio holds at least one stock");
                var holdings = new List<Holding>();
                var value = 0m;
                foreach (var (ticker, given) in portfolio.Holdings ?? [])
                {
                    errors.Require(tickers.TryGetValue(ticker, out var stock), $"{pat}.holdings.{ticker}", $"unknown ticker '{Shown(ticker)}' (no exchange lists it)");
                    var quantity = errors.Amount(given, $"{pat}.holdings.{ticker}", "quantity");
                    // Below the limit in decimal terms first, so the product itself cannot overflow.
                    value += quantity * stock!.ReferencePrice;
                    errors.Require(value < Storage.StoreSchema.NumericLimit, $"{pat}.holdings.{ticker}",
                        $"the portfolio's value at reference prices reaches {value:0.##}, not below {Storage.StoreSchema.NumericLimit:0}, the stores' limit");
                    holdings.Add(new Holding(ticker, quantity));
                }
                portfolios.Add(new Portfolio(id, pid, errors.Text(portfolio.Name, $"{pat}.name"), portfolio.Cumulative, shares, holdings));
            }
            investors.Add(new Investor(id, errors.Text(investor.Name, $"{at}.name"), errors.Text(investor.City ?? "", $"{at}.city", required: false), portfolios));
        }

        return new InvestmentNetwork(exchanges, investors, Fingerprint(document));
    }

    private static string Fingerprint(NetworkDocument document)
    {
        // Re-serialised, not the file's bytes: whitespace and key order of the file do not change the network.
        var canonical = JsonSerializer.SerializeToUtf8Bytes(document, NetworkJsonContext.Default.NetworkDocument);
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    /// <summary>Turns the first violated rule into an <see cref="InvalidInputException"/> naming file, field and value.</summary>
    private sealed class Validator(string source)
    {
        public void Require(bool condition, string field, string message)
        {
            if (!condition)
                throw Fail(field, message);
        }

        public InvalidInputException Fail(string field, string message) => new($"{source}: {field}: {message}");

        public string Id(string? value, string field)
        {
            Require(value is not null, field, "missing");
            Require(IdPattern.IsMatch(value!), field, $"'{Shown(value!)}' is not a valid id (a letter, then up to 31 letters or digits; no '_' or spaces)");
            return value!;
        }

        public string Text(string? value, string field, bool required = true)
        {
            Require(!required || !string.IsNullOrWhiteSpace(value), field, "missing");
            Require(value!.Length <= MaxTextLength, field, $"{value.Length:N0} characters, more than the {MaxTextLength} a store holds");
            return value;
        }

        /// <summary>A positive number below the stores' limit (DECIMAL(20,6): under 10^14).</summary>
        public decimal Amount(decimal? value, string field, string what)
        {
            Require(value is not null, field, "missing");
            Require(value > 0, field, $"{what} must be positive, got {value}");
            Require(value < Storage.StoreSchema.NumericLimit, field, $"{what} {value} is not below {Storage.StoreSchema.NumericLimit:0}, the stores' limit");
            return value!.Value;
        }
    }

    /// <summary>A value from the file as a message may show it: long text cut short.</summary>
    private static string Shown(string text) => text.Length > 40 ? text[..40] + "..." : text;

    /// <summary>
    /// A JSON error as one line a user can act on: where (the field's path) and what, in JSON's terms, never
    /// in .NET's (no type names).
    /// </summary>
    private static string Explain(JsonException e)
    {
        var at = e.Path is { Length: > 2 } path ? $"{path.TrimStart('$', '.')}: " : "";
        var message = e.Message;
        string what =
            message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field" + (QuotedName(message) is { } name ? $" '{name}'" : "")
            : message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? "duplicate key" + (QuotedName(message) is { } key ? $" '{key}'" : "")
            : message.Contains("could not be converted to", StringComparison.Ordinal) ? $"expected {Expected(message)}"
            : $"not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1})";
        return $"not a valid network file: {at}{what}";
    }

    private static string? QuotedName(string message) =>
        message.IndexOf('\'') is var start and >= 0 && message.IndexOf('\'', start + 1) is var end and > 0 ? message[(start + 1)..end] : null;

    private static string Expected(string message) =>
        message.Contains("System.Decimal", StringComparison.Ordinal) || message.Contains("System.Double", StringComparison.Ordinal) ? "a number"
        : message.Contains("System.Boolean", StringComparison.Ordinal) ? "true or false"
        : message.Contains("System.String", StringComparison.Ordinal) ? "a string"
        : message.Contains("List", StringComparison.Ordinal) ? "a list [...]"
        : "an object {...}";
}

internal sealed record NetworkDocument(List<ExchangeDocument>? Exchanges, List<InvestorDocument>? Investors);

internal sealed record ExchangeDocument(string? Id, string? Calendar, List<StockDocument>? Stocks);

internal sealed record StockDocument(string? Ticker, decimal? Price, double? Drift, double? Volatility);

internal sealed record InvestorDocument(string? Id, string? Name, string? City, List<PortfolioDocument>? Portfolios);

internal sealed record PortfolioDocument(string? Id, string? Name, bool Cumulative, decimal? Shares, Dictionary<string, decimal?>? Holdings);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(NetworkDocument))]
internal sealed partial class NetworkJsonContext : JsonSerializerContext;
