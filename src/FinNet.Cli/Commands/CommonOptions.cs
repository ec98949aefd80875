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
        CustomParser = result => ParseDuration(result),
        HelpName = "duration",
    };

    public static Option<string> Reports() => new("--reports")
    {
        Description = "Folder for the reports",
        DefaultValueFactory = _ => "reports",
        HelpName = "dir",
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

    private static DateOnly? ParseDate(ArgumentResult result, string option)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        result.AddError($"{option}: '{text}' is not a date; write yyyy-mm-dd, e.g. 2020-01-31");
        return default;
    }

    [GeneratedRegex(@"^(?<amount>\d+(\.\d+)?)(?<unit>ms|s|m|h)$")]
    private static partial Regex DurationPattern { get; }

    private static TimeSpan? ParseDuration(ArgumentResult result)
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
        result.AddError($"--day-interval: '{text}' is not a duration; write e.g. 2s, 500ms, 1m or 0");
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
