using FinNet.Messaging;
using FinNet.Storage;
using Microsoft.Extensions.Logging;

namespace FinNet.Recorder;

/// <summary>
/// Records every price and NAV into the store: batch in, idempotent upsert in one transaction, commit, and only
/// then is the batch consumed. A crash before the commit re-delivers the batch; the upserts make that harmless.
/// </summary>
public sealed class RecorderService(IFinNetStore store, ILogger logger)
{
    private long _pricesRecorded;
    private long _navsRecorded;
    private int _lastRecordedDayNumber;

    public long PricesRecorded => Interlocked.Read(ref _pricesRecorded);

    public long NavsRecorded => Interlocked.Read(ref _navsRecorded);

    /// <summary>The latest date of a recorded NAV: how far the whole pipeline has got.</summary>
    public DateOnly? LastRecordedDate => Volatile.Read(ref _lastRecordedDayNumber) is var day and > 0 ? DateOnly.FromDayNumber(day) : null;

    public Task RunAsync(IMessageBus bus, CancellationToken cancellationToken) =>
        bus.ConsumeForRecordingAsync(RecordAsync, cancellationToken);

    private async Task RecordAsync(RecordBatch batch)
    {
        if (batch.Count == 0)
            return;
        await store.WriteAsync(batch, CancellationToken.None);
        Interlocked.Add(ref _pricesRecorded, batch.Prices.Count);
        Interlocked.Add(ref _navsRecorded, batch.Navs.Count);
        if (batch.Navs.Count > 0)
            Volatile.Write(ref _lastRecordedDayNumber, Math.Max(_lastRecordedDayNumber, batch.Navs.Max(n => n.Date.DayNumber)));
        Log.RecordedBatch(logger, batch.Prices.Count, batch.Navs.Count);
    }
}
