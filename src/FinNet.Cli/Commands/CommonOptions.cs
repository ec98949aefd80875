using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using FinNet.Analyst;
using FinNet.Exchanges;
using FinNet.Storage;
using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Commands;

/// <summary>Options more than one command takes, declared once so that they read and validate the same everywhere.</summary>
internal static partial class CommonOptions
{
    public static readonly Option<LogLevel> LogLevel = new("--log-level")
    {
        Description = "Logging on stderr: trace, debug, information, warning, error, critical or none",
        DefaultValueFactory = _ => Microsoft.Extensions.Logging.LogLevel.Warning,
        Recursive = true,
        HelpName = "level",
    };

    public static Option<string?> Network() => new("--network")
    {
        Description = "Network file (JSON: exchanges, stocks, investors, portfolios); default: the built-in network.default.json",
        HelpName = "file",
    };

    public static Option<string> Store(string? description = null) => new("--store")
    {
        Description = description ?? "Where to record: sqlite:PATH, or mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE] (database InvestorsDB by default; "
            + "password from FINNET_MYSQL_PASSWORD when the URI has none), or mysql:KEY=VALUE;... (a MySqlConnector connection string)",
        DefaultValueFactory = _ => StoreLocation.Default,
        HelpName = "store",
    };

    public static Option<long> Seed() => new("--seed")
    {
        Description = "Seed of the price model: the same seed gives the same prices",
        DefaultValueFactory = _ => 42,
    };

    public static Option<string> Model()
    {
        var option = new Option<string>("--model")
        {
            Description = "Price model: gbm (geometric Brownian motion from the reference price) or uniform (reference +-5 % each day)",
            DefaultValueFactory = _ => PriceModels.Gbm,
            HelpName = "gbm|uniform",
        };
        option.Validators.Add(result =>
        {
            if (PriceModels.Problem(result.GetValueOrDefault<string>()) is { } problem)
                result.AddError(problem);
        });
        return option;
    }

    /// <summary>A date option; null when not given (the caller applies its default, which the description states).</summary>
    public static Option<DateOnly?> Date(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => ParseDate(result, name),
        HelpName = "yyyy-mm-dd",
    };

    public static Option<TimeSpan?> DayInterval() => new("--day-interval")
    {
        Description = "Real time between two trading days, e.g. 2s or 500ms (the original's pace was 2s) [default: 0, as fast as possible]",
        CustomParser = result => ParseDuration(result, "--day-interval"),
        HelpName = "duration",
    };

    /// <summary>A duration option (2s, 500ms, 1m); null when not given.</summary>
    public static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => ParseDuration(result, name),
        HelpName = "duration",
    };

    public static Option<string> Reports() => new("--reports")
    {
        Description = "Folder for the reports",
        DefaultValueFactory = _ => "reports",
        HelpName = "dir",
    };

    public static Option<string> Format() => new("--format")
    {
        Description = $"Report formats: auto (text, JSON and HTML pages up to {AnalystOptions.MostAutoPages} portfolios; beyond that text, JSON and index.html), "
            + "or a comma-separated list of text, json, html (pages and index.html), index (index.html alone)",
        DefaultValueFactory = _ => "auto",
        HelpName = "auto|formats",
    };

    public static Option<DatePeriod> Period() => new("--period")
    {
        Description = "Period of statistic (4), both ends inclusive",
        DefaultValueFactory = _ => DatePeriod.DefaultStatisticsPeriod,
        CustomParser = result => Parse(result, text => DatePeriod.Parse(text, "--period")),
        HelpName = "from..to",
    };

    public static Option<string> Benchmark() => new("--benchmark")
    {
        Description = "What each portfolio is compared with: market (equal-weighted buy-and-hold index of every stock), an exchange id (SE1: the same over its stocks), a portfolio (Inv2_P21) or none",
        DefaultValueFactory = _ => BenchmarkSeries.Market,
        HelpName = "market|EXCHANGE|PORTFOLIO|none",
    };

    public static Option<double> RiskFreeRate() => new("--rf")
    {
        Description = "Annual risk-free rate as a fraction (0.02 is 2 % a year); enters Sharpe, probabilistic Sharpe and alpha",
        DefaultValueFactory = _ => 0,
        CustomParser = result => Parse(result, text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && double.IsFinite(rate) && rate > -1 && rate < 10
                ? rate
                : throw new InvalidInputException($"--rf: '{text}' is not an annual rate as a fraction, e.g. 0.02 for 2 %")),
        HelpName = "rate",
    };

    /// <summary>The one rule every date range follows: <c>--from</c> is not after <c>--to</c>.</summary>
    public static void CheckRange(DateOnly? from, DateOnly? to)
    {
        if (from > to)
            throw new InvalidInputException($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}");
    }

    /// <summary>
    /// What publishing [from, to] needs, checked on the range as asked (so re-running into a complete store still
    /// passes): at least one trading day of <paramref name="exchanges"/>; and a warning line when it reaches past
    /// today, because the exchanges then publish simulated future prices.
    /// </summary>
    public static void CheckPublishRange(DateOnly from, DateOnly to, IEnumerable<Network.Exchange> exchanges, TextWriter warnings)
    {
        if (!exchanges.Any(e => e.Calendar.TradingDays(from, to).Any()))
            throw new InvalidInputException($"no trading days between {from:yyyy-MM-dd} and {to:yyyy-MM-dd}");
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        if (to > today)
            warnings.WriteLine($"finnet: warning: --to {to:yyyy-MM-dd} is after today ({today:yyyy-MM-dd}); the days after today get simulated future prices");
    }

    /// <summary>
    /// Makes sure <paramref name="path"/> is a folder this process can write to, creating it when missing, before
    /// any work whose results would go there: a run must not record years of prices and then fail on its reports.
    /// </summary>
    public static void EnsureWritableFolder(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new InvalidInputException($"{option}: empty; name a folder, e.g. {option} reports");
        if (File.Exists(path))
            throw new InvalidInputException($"{option} {path}: is a file, not a folder");
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".finnet-write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{option} {path}: cannot write there ({e.Message.TrimEnd('.')})", e);
        }
    }

    private static DateOnly? ParseDate(ArgumentResult result, string option)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            result.AddError($"{option}: '{text}' is not a date; write yyyy-mm-dd, e.g. 2020-01-31");
        else if (date > Messaging.MessageRules.LastDate)
            result.AddError($"{option}: {text} is after {Messaging.MessageRules.LastDate:yyyy-MM-dd}, the last date FinNet handles");
        else
            return date;
        return default;
    }

    [GeneratedRegex(@"^(?<amount>\d+(\.\d+)?)(?<unit>ms|s|m|h)$")]
    private static partial Regex DurationPattern { get; }

    private static TimeSpan? ParseDuration(ArgumentResult result, string option)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (text == "0")
            return TimeSpan.Zero;
        var match = DurationPattern.Match(text);
        if (match.Success)
        {
            var amount = double.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
            return match.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }
        result.AddError($"{option}: '{text}' is not a duration; write e.g. 2s, 500ms, 1m or 0");
        return default;
    }

    public static T Parse<T>(ArgumentResult result, Func<string, T> parse)
    {
        try
        {
            return parse(result.Tokens.Count > 0 ? result.Tokens[0].Value : "");
        }
        catch (InvalidInputException e)
        {
            result.AddError(e.Message);
            return default!;
        }
    }
}
