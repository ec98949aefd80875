using FinNet.Messaging;
using FinNet.Storage;
using Microsoft.Extensions.Logging;

namespace FinNet.Recorder;

/// <summary>
/// Records every price and NAV into the store: batch in, one transaction, commit, and only then is the batch
/// consumed. A crash before the commit re-delivers the batch, which changes nothing: a stored row stands, and a
/// different row for its key is refused, logged as an error, and handed back to the bus (Kafka dead-letters it).
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

    private async Task<RecordBatch> RecordAsync(RecordBatch batch)
    {
        if (batch.Count == 0)
            return RecordBatch.Empty;
        // Refused rows go back to the bus, which reports each where it came from (Kafka: its topic/partition/offset).
        var writing = System.Diagnostics.Stopwatch.StartNew();
        var refused = await store.WriteAsync(batch, CancellationToken.None);
        Interlocked.Add(ref _pricesRecorded, batch.Prices.Count - refused.Prices.Count);
        Interlocked.Add(ref _navsRecorded, batch.Navs.Count - refused.Navs.Count);
        if (batch.Navs.Count > 0)
            Volatile.Write(ref _lastRecordedDayNumber, Math.Max(_lastRecordedDayNumber, batch.Navs.Max(n => n.Date.DayNumber)));
        Log.RecordedBatch(logger, batch.Prices.Count, batch.Navs.Count, writing.ElapsedMilliseconds);
        return refused;
    }
}
