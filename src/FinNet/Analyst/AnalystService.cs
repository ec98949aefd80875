using System.Text;
using FinNet.Network;
using FinNet.Storage;
using Microsoft.Extensions.Logging;

namespace FinNet.Analyst;

/// <summary>
/// Reads each portfolio's stored NAV series, one at a time, and writes its reports in the chosen formats (text,
/// JSON, HTML), then the HTML index comparing them all. Only each portfolio's summary is kept, so memory does not
/// grow with the number of portfolios.
/// </summary>
public sealed class AnalystService(IFinNetStore store, InvestmentNetwork network, ILogger logger)
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Reports on every portfolio of the network (or those named by key, <c>Inv1_P11</c>); returns their summaries in
    /// network order. <see cref="ReportFormats.Auto"/> must have been resolved (<see cref="AnalystOptions.Resolve"/>).
    /// </summary>
    public async Task<IReadOnlyList<PortfolioSummary>> WriteReportsAsync(AnalystOptions options, IReadOnlyCollection<string>? portfolioKeys, CancellationToken cancellationToken)
    {
        if (options.Formats.HasFlag(ReportFormats.Auto))
            throw new ArgumentException("resolve --format auto first (AnalystOptions.Resolve)", nameof(options));
        foreach (var unknown in portfolioKeys?.Where(k => network.Portfolios.All(p => p.Key != k)) ?? [])
            throw new InvalidInputException($"no portfolio '{unknown}' in the network (it has {string.Join(", ", network.Portfolios.Select(p => p.Key))})");
        var portfolios = network.Portfolios.Where(p => portfolioKeys is null || portfolioKeys.Count == 0 || portfolioKeys.Contains(p.Key)).ToList();

        try
        {
            Directory.CreateDirectory(options.ReportsDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"--reports {options.ReportsDirectory}: cannot create the folder ({e.Message})", e);
        }

        var benchmark = await BenchmarkSeries.LoadAsync(options, store, network, cancellationToken);
        var summaries = new PortfolioSummary[portfolios.Count];
        // One portfolio per core at a time: the work is CPU-bound (metrics, charts), and memory stays a few series.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, portfolios.Count), parallel, async (index, token) =>
            summaries[index] = await ReportAsync(portfolios[index], options, benchmark, token));
        if (options.Formats.HasFlag(ReportFormats.Html) || options.Formats.HasFlag(ReportFormats.Index))
            await WriteAsync(options, HtmlReport.IndexFileName, Utf8NoBom.GetBytes(HtmlReport.RenderIndex(summaries, options, benchmark)), cancellationToken);
        Log.ReportsWritten(logger, summaries.Length, options.ReportsDirectory);
        return summaries;
    }

    private async Task<PortfolioSummary> ReportAsync(Portfolio portfolio, AnalystOptions options, BenchmarkSeries? benchmark, CancellationToken cancellationToken)
    {
        var stored = await store.ReadNavSeriesAsync(portfolio, cancellationToken);
        var report = PortfolioReport.Create(network.GetInvestor(portfolio.InvestorId), portfolio, stored, options, benchmark);
        var files = new List<string>();
        if (options.Formats.HasFlag(ReportFormats.Text))
            files.Add(await WriteAsync(options, TextReport.FileName(report), Utf8NoBom.GetBytes(TextReport.Render(report)), cancellationToken));
        if (options.Formats.HasFlag(ReportFormats.Json))
            files.Add(await WriteAsync(options, JsonReport.FileName(report), JsonReport.Render(report), cancellationToken));
        if (options.Formats.HasFlag(ReportFormats.Html))
            files.Add(await WriteAsync(options, HtmlReport.FileName(report), Utf8NoBom.GetBytes(HtmlReport.Render(report)), cancellationToken));
        if (report.DataError is { } error)
            Log.PortfolioDataError(logger, portfolio.Key, error);
        return report.Summarise(files);
    }

    private static async Task<string> WriteAsync(AnalystOptions options, string name, byte[] content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(options.ReportsDirectory, name);
        await File.WriteAllBytesAsync(path, content, cancellationToken);
        return path;
    }
}
