using System.Text;
using FinNet.Network;
using FinNet.Storage;
using Microsoft.Extensions.Logging;

namespace FinNet.Analyst;

/// <summary>Which reports to write and over what period.</summary>
public sealed record AnalystOptions(string ReportsDirectory, DatePeriod Period);

/// <summary>Reads each portfolio's stored NAV series and writes its text and JSON statistics reports.</summary>
public sealed class AnalystService(IFinNetStore store, InvestmentNetwork network, ILogger logger)
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Reports on every portfolio of the network (or those named by key, <c>Inv1_P11</c>); returns them in network order.</summary>
    public async Task<IReadOnlyList<PortfolioReport>> WriteReportsAsync(AnalystOptions options, IReadOnlyCollection<string>? portfolioKeys, CancellationToken cancellationToken)
    {
        var portfolios = network.Portfolios.Where(p => portfolioKeys is null || portfolioKeys.Count == 0 || portfolioKeys.Contains(p.Key)).ToList();
        foreach (var unknown in portfolioKeys?.Where(k => network.Portfolios.All(p => p.Key != k)) ?? [])
            throw new InvalidInputException($"no portfolio '{unknown}' in the network (it has {string.Join(", ", network.Portfolios.Select(p => p.Key))})");

        try
        {
            Directory.CreateDirectory(options.ReportsDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"--reports {options.ReportsDirectory}: cannot create the folder ({e.Message})", e);
        }

        var reports = new List<PortfolioReport>();
        foreach (var portfolio in portfolios)
        {
            var series = await store.ReadNavSeriesAsync(portfolio, cancellationToken);
            var investor = network.GetInvestor(portfolio.InvestorId);
            var report = new PortfolioReport(investor, portfolio, series, NavStatistics.Compute(series, options.Period));
            await File.WriteAllTextAsync(Path.Combine(options.ReportsDirectory, TextReport.FileName(report)), TextReport.Render(report), Utf8NoBom, cancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(options.ReportsDirectory, JsonReport.FileName(report)), JsonReport.Render(report), cancellationToken);
            reports.Add(report);
        }
        Log.ReportsWritten(logger, reports.Count, options.ReportsDirectory);
        return reports;
    }
}
