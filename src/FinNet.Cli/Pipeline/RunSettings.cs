using FinNet.Analyst;
using FinNet.Cli.Commands;
using FinNet.Exchanges;
using FinNet.Messaging.Kafka;
using FinNet.Network;

namespace FinNet.Cli.Pipeline;

/// <summary>What <c>finnet run</c> was asked to do, validated once.</summary>
internal sealed record RunSettings(
    DateOnly From,
    DateOnly To,
    long Seed,
    string Model,
    string? NetworkFile,
    string Store,
    string Reports,
    TimeSpan DayInterval,
    bool Reset,
    DatePeriod Period,
    string Benchmark = BenchmarkSeries.Market,
    double RiskFreeRate = 0,
    KafkaSettings? Kafka = null,
    ReportFormats Formats = ReportFormats.Auto)
{
    /// <summary>The analyst's part of a run over the whole stored history, its formats resolved for <paramref name="portfolios"/>, and why.</summary>
    public (AnalystOptions Options, string Why) Analyst(int portfolios)
    {
        var (formats, why) = AnalystOptions.Resolve(Formats, portfolios, named: false);
        return (new AnalystOptions(Reports, Period, formats, Benchmark, RiskFreeRate), why);
    }

    /// <summary>Every rule of a run's options, checked once, before anything is opened.</summary>
    public void Validate(InvestmentNetwork network)
    {
        CommonOptions.CheckRange(From, To);
        BenchmarkSeries.Validate(Benchmark, network);
        if (From < PriceModels.HistoryStart)
            throw new InvalidInputException($"--from {From:yyyy-MM-dd} is before the price history starts ({PriceModels.HistoryStart:yyyy-MM-dd})");
    }
}
