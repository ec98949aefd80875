using Microsoft.Extensions.Logging;

namespace FinNet;

/// <summary>
/// Every log message, source-generated. Event ids in ranges: 1000 exchanges, 2000 investors, 3000 recorder,
/// 4000 analyst, 5000 messaging, 6000 storage, 7000 the run itself.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Exchange {ExchangeId} finished: {Prices} prices published")]
    public static partial void ExchangeFinished(ILogger logger, string exchangeId, long prices);

    [LoggerMessage(2001, LogLevel.Debug, "Portfolio {Portfolio} skipped {Skipped} (an exchange published no price that day) and valued {Date}")]
    public static partial void SkippedIncompleteDate(ILogger logger, string portfolio, DateOnly skipped, DateOnly date);

    [LoggerMessage(3001, LogLevel.Trace, "Recorded {Prices} prices and {Navs} NAVs in {Milliseconds} ms")]
    public static partial void RecordedBatch(ILogger logger, int prices, int navs, long milliseconds);

    [LoggerMessage(4001, LogLevel.Information, "Wrote reports for {Portfolios} portfolios to {Directory}")]
    public static partial void ReportsWritten(ILogger logger, int portfolios, string directory);

    [LoggerMessage(4002, LogLevel.Warning, "Portfolio {Portfolio} has no metrics: {Error}")]
    public static partial void PortfolioDataError(ILogger logger, string portfolio, string error);

    [LoggerMessage(4003, LogLevel.Warning, "Live analyst: cannot read {Store} ({Error}); the dashboard shows the figures so far and /healthz turns 503 after 5 s; retrying every poll")]
    public static partial void StoreFollowFailed(ILogger logger, string store, string error);

    [LoggerMessage(4004, LogLevel.Information, "Live analyst: reading {Store} again")]
    public static partial void StoreFollowResumed(ILogger logger, string store);

    [LoggerMessage(5001, LogLevel.Warning, "Rejected message at {Topic}/{Partition}/{Offset}: {Reason}; sent to the dead-letter topic")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(5002, LogLevel.Warning, "NAV transaction aborted (attempt {Attempt}: {Reason}); publishing the same NAVs again")]
    public static partial void TransactionRetried(ILogger logger, int attempt, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "Committing the recorder's offsets failed (attempt {Attempt}: {Reason}); retrying")]
    public static partial void CommitRetried(ILogger logger, int attempt, string reason);

    [LoggerMessage(5015, LogLevel.Information, "The recorder's offsets were not committed ({Reason}): the group is moving its partitions, and their next owner records the batch again, which changes nothing")]
    public static partial void CommitGivenUp(ILogger logger, string reason);

    [LoggerMessage(5017, LogLevel.Information, "--group-protocol auto: the brokers {Answer} the consumer group protocol (KIP-848), so groups use the {Protocol} protocol")]
    private static partial void GroupProtocolChosen(ILogger logger, string answer, string protocol);

    public static void GroupProtocolChosen(ILogger logger, bool offered) =>
        GroupProtocolChosen(logger, offered ? "offer" : "do not offer", offered ? "consumer" : "classic");

    [LoggerMessage(5008, LogLevel.Information, "{Role} (group {Group}) assigned {Partitions}")]
    public static partial void PartitionsAssigned(ILogger logger, string role, string group, string partitions);

    [LoggerMessage(5009, LogLevel.Information, "{Role} (group {Group}) gave up {Partitions}")]
    public static partial void PartitionsRevoked(ILogger logger, string role, string group, string partitions);

    [LoggerMessage(5010, LogLevel.Warning, "{Role} (group {Group}) lost {Partitions} (another member may have them already)")]
    public static partial void PartitionsLost(ILogger logger, string role, string group, string partitions);

    [LoggerMessage(5011, LogLevel.Information, "{Role}: {Count} {Unit} in the last {Seconds:0.0} s ({PerSecond:0} {Unit}/s), {Total} in all; lag {Lag}")]
    public static partial void ConsumerProgress(ILogger logger, string role, long count, string unit, double seconds, double perSecond, long total, string lag);

    [LoggerMessage(5012, LogLevel.Information, "{Role} stopping: {Total} {Unit} in {Seconds:0.0} s ({PerSecond:0} {Unit}/s); lag {Lag}")]
    public static partial void ConsumerStopping(ILogger logger, string role, long total, string unit, double seconds, double perSecond, string lag);

    [LoggerMessage(5013, LogLevel.Information, "{Role} (group {Group}) owns {Partitions}: {Portfolios} portfolios")]
    public static partial void ValuationAssigned(ILogger logger, string role, string group, string partitions, int portfolios);

    [LoggerMessage(5014, LogLevel.Information, "{Role} restored {Portfolios} portfolios: {Restored} state partitions from their snapshots, {Scanned} by a scan of the topics; prices resume {Resume} ({Milliseconds:0} ms)")]
    public static partial void ValuationRestored(ILogger logger, string role, int portfolios, int restored, int scanned, string resume, double milliseconds);

    [LoggerMessage(EventId = 5004, Message = "librdkafka {Facility}: {Message}")]
    public static partial void KafkaLibrary(ILogger logger, LogLevel level, string facility, string message);

    [LoggerMessage(5005, LogLevel.Warning, "Kafka consume error {Code} ({Reason}); going on")]
    public static partial void ConsumeErrorSkipped(ILogger logger, string code, string reason);

    [LoggerMessage(5006, LogLevel.Error, "Conflicting message at {Topic}/{Partition}/{Offset}: {Reason}; the first stands, this one was sent to the dead-letter topic")]
    public static partial void ConflictDeadLettered(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(5016, LogLevel.Error, "Conflicting message at {Topic}/{Partition}/{Offset}: {Reason}; the first stands, and this one is no longer on its topic to send to the dead-letter topic")]
    public static partial void ConflictGone(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(5007, LogLevel.Warning, "{Who} ignored the message at {Topic}/{Partition}/{Offset}: {Reason}")]
    public static partial void MessageIgnored(ILogger logger, string who, string topic, int partition, long offset, string reason);

    [LoggerMessage(6001, LogLevel.Warning, "Store {Store}: could not {Operation} (attempt {Attempt}: {Error}); retrying in {DelayMs} ms")]
    public static partial void StoreRetrying(ILogger logger, string store, string operation, int attempt, double delayMs, string error);

    [LoggerMessage(6002, LogLevel.Information, "Store {Store}: created the database")]
    public static partial void DatabaseCreated(ILogger logger, string store);

    [LoggerMessage(6003, LogLevel.Warning, "Store {Store}: series '{Name}' breaks the identifier rule and was skipped")]
    public static partial void SeriesSkipped(ILogger logger, string store, string name);

    [LoggerMessage(6004, LogLevel.Warning, "Store {Store}: the server refuses LOAD DATA LOCAL INFILE ({Reason}); writing multi-row upserts instead, at about half the rows/s (set local_infile=ON on the server to bulk-load)")]
    public static partial void BulkLoadRefused(ILogger logger, string store, string reason);

    [LoggerMessage(7001, LogLevel.Information, "Store {Store} is complete through {Through}; this run starts at {Start}")]
    public static partial void Resuming(ILogger logger, string store, DateOnly through, DateOnly start);

    [LoggerMessage(7002, LogLevel.Warning, "Store {Store} was reset: all its data was dropped")]
    public static partial void StoreReset(ILogger logger, string store);
}
