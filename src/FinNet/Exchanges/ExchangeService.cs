using FinNet.Messaging;
using FinNet.Network;
using Microsoft.Extensions.Logging;

namespace FinNet.Exchanges;

/// <summary>
/// One exchange: for each of its trading days in [from, to], publishes one close per listed stock, then moves to
/// the next day, optionally paced by <c>--day-interval</c> in real time.
/// </summary>
public sealed class ExchangeService(Exchange exchange, IPriceModel model, TimeProvider time, ILogger logger)
{
    private long _pricesPublished;
    private int _lastDayNumber;

    public Exchange Exchange => exchange;

    public long PricesPublished => Interlocked.Read(ref _pricesPublished);

    public DateOnly? LastPublishedDate => Volatile.Read(ref _lastDayNumber) is var day and > 0 ? DateOnly.FromDayNumber(day) : null;

    /// <param name="lockstep">The run's exchanges kept within a few days of each other (bounds what investors hold); none for a lone exchange.</param>
    public async Task RunAsync(IMessageBus bus, DateOnly from, DateOnly to, TimeSpan dayInterval, CancellationToken cancellationToken, ExchangeLockstep? lockstep = null)
    {
        // One enumerator per stock, walked in lockstep: all of an exchange's stocks share its calendar.
        var series = exchange.Stocks.Select(s => model.Closes(s, exchange.Calendar, from, to).GetEnumerator()).ToArray();
        try
        {
            var first = true;
            while (true)
            {
                if (series.Length == 0 || !series.All(stock => stock.MoveNext()))
                    break; // every stock trades on every day of its exchange's calendar: the series end together
                var day = new ListedCloses(exchange, series.Select(stock => stock.Current).ToArray());
                if (!first && dayInterval > TimeSpan.Zero)
                    await Task.Delay(dayInterval, time, cancellationToken);
                first = false;
                if (lockstep is not null)
                    await lockstep.WaitForTurnAsync(exchange.Id, day.Date, cancellationToken);
                await bus.PublishTradingDayAsync(exchange.Id, day.Date, day, cancellationToken);
                lockstep?.Published(exchange.Id, day.Date);
                Interlocked.Add(ref _pricesPublished, day.Count);
                Volatile.Write(ref _lastDayNumber, day.Date.DayNumber);
            }
        }
        finally
        {
            lockstep?.Finished(exchange.Id);
            foreach (var stock in series)
                stock.Dispose();
        }
        Log.ExchangeFinished(logger, exchange.Id, PricesPublished);
    }
}
