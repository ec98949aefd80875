using System.Diagnostics;
using Confluent.Kafka;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Network;
using FinNet.Recorder;
using Microsoft.Extensions.Logging;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// The bus over Kafka: prices (and end-of-day markers) on the price topic, keyed by ticker and partitioned by a
/// stable hash of it; NAVs on the NAV topic keyed <c>Inv1_P11</c>; anything malformed to <c>&lt;topic&gt;.dlq</c>.
/// </summary>
/// <remarks>
/// Delivery:
/// <list type="bullet">
/// <item>Producers are idempotent with acks=all.</item>
/// <item>An investor's state is a function of the price topic, so a (re)started investor replays it from the
/// beginning (markers make it whole days, in date order) and publishes only NAVs dated after the last one its
/// portfolios have on the NAV topic: its restart state lives in Kafka, found from any machine. NAVs are published
/// in transactions (transactional.id <c>finnet-investor-&lt;id&gt;</c>): on a real broker a second instance fences the
/// first, and read_committed readers never see an aborted NAV.</item>
/// <item>The recorder commits its offsets only after the database commit; upserts make re-delivery harmless.</item>
/// </list>
/// </remarks>
public sealed class KafkaBus : IMessageBus, IDisposable
{
    private const int MaxRecordBatch = 20_000;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly KafkaSettings _settings;
    private readonly InvestmentNetwork _network;
    private readonly ILogger _logger;
    private readonly int _pricePartitions;
    private readonly Lock _producerLock = new();
    private IProducer<string, byte[]>? _producer;
    private Exception? _deliveryError;
    private volatile Dictionary<TopicPartition, long>? _priceEnd;
    private volatile Dictionary<TopicPartition, long>? _navEnd;

    private KafkaBus(KafkaSettings settings, InvestmentNetwork network, ILogger logger, int pricePartitions)
    {
        _settings = settings;
        _network = network;
        _logger = logger;
        _pricePartitions = pricePartitions;
    }

    private KafkaTopics Topics => _settings.Topics;

    /// <summary>Checks the cluster, creating missing topics, and learns how many partitions the price topic has.</summary>
    public static async Task<KafkaBus> ConnectAsync(KafkaSettings settings, InvestmentNetwork network, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var partitions = await settings.EnsureTopicsAsync(message => LibraryLog(logger, settings, message), cancellationToken);
            return new KafkaBus(settings, network, logger, partitions[settings.Topics.Prices]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && e is not ObjectDisposedException)
        {
            throw new InvalidInputException($"--kafka-config: {settings.Redact(e.Message)}", e);
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.Local_Transport or ErrorCode.Local_TimedOut or ErrorCode.Local_AllBrokersDown)
        {
            throw new ServiceUnavailableException($"Kafka at {settings.BootstrapServers}: no broker answered ({settings.Redact(e.Error.Reason)})", e);
        }
    }

    /// <summary>The price topic's partition of a ticker: FNV-1a of its UTF-8 bytes, so every producer agrees.</summary>
    public int PartitionOf(string ticker)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(ticker))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash % (uint)_pricePartitions);
    }

    public Task PublishTradingDayAsync(string exchangeId, DateOnly date, IReadOnlyList<PriceQuote> closes, CancellationToken cancellationToken)
    {
        ThrowIfDeliveryFailed();
        var producer = Producer();
        var counts = new int[_pricePartitions];
        foreach (var quote in closes)
        {
            var partition = PartitionOf(quote.Ticker);
            counts[partition]++;
            Produce(producer, new TopicPartition(Topics.Prices, partition), quote.Ticker, KafkaWire.Price(quote), cancellationToken);
        }
        if (_settings.Markers)
        {
            for (var partition = 0; partition < _pricePartitions; partition++)
            {
                var marker = new EndOfDayMarker(exchangeId, date, partition, counts[partition], Closed: false);
                Produce(producer, new TopicPartition(Topics.Prices, partition), exchangeId, KafkaWire.Marker(marker), cancellationToken);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Waits until everything published so far is acknowledged (acks=all); throws if anything failed.</summary>
    public void Flush(CancellationToken cancellationToken)
    {
        _producer?.Flush(cancellationToken);
        ThrowIfDeliveryFailed();
    }

    /// <summary>
    /// The last day <paramref name="exchangeId"/> fully published: the least, over the price topic's partitions,
    /// of the latest date it marked there (null if it has not marked every partition yet). A restarted exchange
    /// resumes after it.
    /// </summary>
    public DateOnly? LastPublishedDay(string exchangeId)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(_settings.Consumer($"finnet-exchange-{exchangeId}")).SetLogHandler((_, m) => LibraryLog(m)).Build();
        DateOnly? least = null;
        for (var partition = 0; partition < _pricePartitions; partition++)
        {
            var topicPartition = new TopicPartition(Topics.Prices, partition);
            var marks = consumer.QueryWatermarkOffsets(topicPartition, Timeout);
            DateOnly? last = null;
            // Read back from the end in growing windows until this exchange's latest marker shows up.
            for (long window = 256; last is null && marks.High - window >= marks.Low - window; window *= 4)
            {
                var from = Math.Max(marks.Low, marks.High - window);
                consumer.Assign(new TopicPartitionOffset(topicPartition, from));
                while (consumer.Consume(Timeout) is { IsPartitionEOF: false } result)
                {
                    if (KafkaWire.ReadPriceTopic(result.Message.Value, partition) is PriceTopicMessage.Marker { EndOfDay: var m } && m.ExchangeId == exchangeId)
                        last = m.Date;
                }
                if (from == marks.Low)
                    break;
            }
            if (last is null)
                return null;
            least = least is null || last < least ? last : least;
        }
        return least;
    }

    public Task ProcessPricesAsync(string investorId, Func<IReadOnlyList<PriceQuote>, IReadOnlyList<NavUpdate>> valuer, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => RunInvestor(investorId, valuer, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public Task ConsumeForRecordingAsync(Func<RecordBatch, Task> record, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => RunRecorder(record, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    /// <summary>In one process (<c>finnet run --kafka</c>): every exchange is done; investors end once they have read this far.</summary>
    public void CompletePrices()
    {
        Flush(CancellationToken.None);
        _priceEnd = HighWatermarks(Topics.Prices);
    }

    /// <summary>Every investor is done; the recorder ends once it has committed everything published so far.</summary>
    public void CompleteNavs() => _navEnd = HighWatermarks(Topics.Navs);

    private void RunInvestor(string investorId, Func<IReadOnlyList<PriceQuote>, IReadOnlyList<NavUpdate>> valuer, CancellationToken cancellationToken)
    {
        var investor = _network.GetInvestor(investorId);
        var exchanges = investor.Portfolios.SelectMany(p => p.Holdings).Select(h => _network.FindStock(h.Ticker)!.ExchangeId).Distinct().ToList();
        using var producer = new ProducerBuilder<string, byte[]>(_settings.Producer($"finnet-investor-{investorId}")).SetLogHandler((_, m) => LibraryLog(m)).Build();
        // First take over the transactional id: on a real broker this fences an older instance and aborts the
        // transaction it left open, so that reading the NAV topic back (read_committed) is not held up by it.
        producer.InitTransactions(Timeout);
        var published = PublishedNavDates(investor);
        using var consumer = new ConsumerBuilder<string, byte[]>(_settings.Consumer($"finnet-investor-{investorId}")).SetLogHandler((_, m) => LibraryLog(m)).Build();
        consumer.Assign(Enumerable.Range(0, _pricePartitions).Select(p => new TopicPartitionOffset(Topics.Prices, p, Offset.Beginning)));
        // On one partition prices arrive in order (the original setup, with producers that send no markers): the
        // investor's own rule applies, a date is complete once every held stock is priced.
        var gate = _pricePartitions > 1 ? new PriceDateGate(exchanges, _pricePartitions) : null;
        var positions = new Dictionary<TopicPartition, long>();
        var pending = new List<NavUpdate>();
        var sinceCommit = Stopwatch.StartNew();

        void Value(IReadOnlyList<PriceQuote> prices)
        {
            foreach (var nav in valuer(prices))
            {
                if (!published.TryGetValue(nav.PortfolioKey, out var last) || nav.Date > last)
                    pending.Add(nav);
            }
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var result = Consume(consumer);
            if (result is not null)
            {
                positions[result.TopicPartition] = result.IsPartitionEOF ? result.Offset.Value : result.Offset.Value + 1;
                if (!result.IsPartitionEOF)
                {
                    switch (KafkaWire.ReadPriceTopic(result.Message.Value, result.Partition.Value))
                    {
                        case PriceTopicMessage.Price { Quote: var quote } when gate is null:
                            Value([quote]);
                            break;
                        case PriceTopicMessage.Price { Quote: var quote }:
                            gate.AddPrice(quote, result.Partition.Value);
                            break;
                        case PriceTopicMessage.Marker { EndOfDay: var marker }:
                            gate?.AddMarker(marker);
                            break;
                        case PriceTopicMessage.Malformed { Reason: var reason }:
                            Log.DeadLettered(_logger, Topics.Prices, result.Partition.Value, result.Offset.Value, reason);
                            break; // the recorder, which reads every price, is the one that dead-letters it
                    }
                    if (gate is not null)
                    {
                        foreach (var day in gate.Release())
                            Value(day);
                    }
                }
            }
            var caughtUp = result is null || result.IsPartitionEOF;
            if (pending.Count > 0 && (caughtUp || pending.Count >= 1000 || sinceCommit.ElapsedMilliseconds > 200))
            {
                PublishInTransaction(producer, pending);
                foreach (var nav in pending)
                    published[nav.PortfolioKey] = nav.Date;
                pending.Clear();
                sinceCommit.Restart();
            }
            if (caughtUp && _priceEnd is { } end && end.All(e => positions.GetValueOrDefault(e.Key) >= e.Value))
                return; // drained (one-process run): every price published before the end was read
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>NAVs in one transaction; an abortable failure aborts and publishes the same NAVs again.</summary>
    private void PublishInTransaction(IProducer<string, byte[]> producer, List<NavUpdate> navs)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                producer.BeginTransaction();
                foreach (var nav in navs)
                    producer.Produce(Topics.Navs, new Message<string, byte[]> { Key = nav.PortfolioKey, Value = KafkaWire.Nav(nav) });
                producer.CommitTransaction(Timeout);
                return;
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.ProducerFenced || e.Error.IsFatal)
            {
                // Another instance with this investor id initialised the same transactional id: it has taken over.
                throw new ServiceUnavailableException($"{producer.Name}: another instance of this investor took over ({e.Error.Reason}); this one stops publishing", e);
            }
            catch (KafkaException e) when (e is KafkaTxnRequiresAbortException || (e.Error.IsError && attempt < 10))
            {
                Log.TransactionRetried(_logger, attempt, e.Error.Reason);
                try
                {
                    producer.AbortTransaction(Timeout);
                }
                catch (KafkaException abort) when (!abort.Error.IsFatal)
                {
                    // nothing was open
                }
            }
        }
    }

    /// <summary>Each of the investor's portfolios' latest NAV date on the NAV topic (read_committed): where its output resumes.</summary>
    private Dictionary<string, DateOnly> PublishedNavDates(Investor investor)
    {
        var keys = investor.Portfolios.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var latest = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        using var consumer = new ConsumerBuilder<string, byte[]>(_settings.Consumer($"finnet-investor-{investor.Id}")).SetLogHandler((_, m) => LibraryLog(m)).Build();
        var ends = HighWatermarks(Topics.Navs);
        consumer.Assign(ends.Where(e => e.Value > 0).Select(e => new TopicPartitionOffset(e.Key, Offset.Beginning)));
        var open = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        while (open.Count > 0)
        {
            var result = consumer.Consume(Timeout) ?? throw new TimeoutException($"reading {Topics.Navs} back timed out");
            if (result.IsPartitionEOF || result.Offset.Value + 1 >= ends[result.TopicPartition])
                open.Remove(result.TopicPartition);
            if (result.IsPartitionEOF || result.Message.Key is null || !keys.Contains(result.Message.Key))
                continue;
            var (nav, _) = KafkaWire.ReadNav(result.Message.Value, SharesOf);
            if (nav is not null && (!latest.TryGetValue(nav.PortfolioKey, out var date) || nav.Date > date))
                latest[nav.PortfolioKey] = nav.Date;
        }
        return latest;
    }

    private async Task RunRecorder(Func<RecordBatch, Task> record, CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(_settings.Consumer("finnet-recorder")).SetLogHandler((_, m) => LibraryLog(m)).Build();
        consumer.Subscribe([Topics.Prices, Topics.Navs]);
        var producer = Producer();
        var positions = new Dictionary<TopicPartition, long>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (prices, navs) = (new List<PriceQuote>(), new List<NavUpdate>());
                var offsets = new Dictionary<TopicPartition, long>();
                while (prices.Count + navs.Count < MaxRecordBatch && Consume(consumer) is { } result)
                {
                    positions[result.TopicPartition] = result.IsPartitionEOF ? result.Offset.Value : result.Offset.Value + 1;
                    if (result.IsPartitionEOF)
                        continue;
                    offsets[result.TopicPartition] = result.Offset.Value + 1;
                    if (result.Topic == Topics.Prices)
                    {
                        switch (KafkaWire.ReadPriceTopic(result.Message.Value, result.Partition.Value))
                        {
                            case PriceTopicMessage.Price { Quote: var quote }:
                                prices.Add(quote);
                                break;
                            case PriceTopicMessage.Malformed { Reason: var reason }:
                                DeadLetter(producer, result, reason);
                                break;
                        }
                    }
                    else if (KafkaWire.ReadNav(result.Message.Value, SharesOf) is var (nav, problem))
                    {
                        if (nav is not null)
                            navs.Add(nav);
                        else
                            DeadLetter(producer, result, problem!);
                    }
                }
                if (offsets.Count > 0)
                {
                    if (prices.Count + navs.Count > 0)
                        await record(new RecordBatch(prices, navs)); // the database commit first...
                    producer.Flush(cancellationToken); // ...and the dead letters...
                    ThrowIfDeliveryFailed();
                    Commit(consumer, offsets); // ...then the offsets
                }
                else if (_priceEnd is { } priceEnd && _navEnd is { } navEnd
                    && priceEnd.Concat(navEnd).All(e => positions.GetValueOrDefault(e.Key) >= e.Value))
                {
                    return; // drained (one-process run)
                }
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            consumer.Close();
        }
    }

    /// <summary>
    /// The next message, or null if none came within the poll. A consume error the client recovers from is logged
    /// and skipped, as Confluent advises ("consumer errors should generally be ignored (or logged) unless fatal").
    /// </summary>
    private ConsumeResult<string, byte[]>? Consume(IConsumer<string, byte[]> consumer)
    {
        try
        {
            return consumer.Consume(Poll);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            Log.ConsumeErrorSkipped(_logger, e.Error.Code.ToString(), e.Error.Reason);
            return null;
        }
    }

    /// <summary>
    /// Commits the recorder's offsets, retrying what the broker may fix (a coordinator moving, a broker restarting):
    /// the batch is already in the database, and if this process dies first, its re-delivery changes nothing.
    /// </summary>
    private void Commit(IConsumer<string, byte[]> consumer, Dictionary<TopicPartition, long> offsets)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                consumer.Commit(offsets.Select(o => new TopicPartitionOffset(o.Key, o.Value)));
                return;
            }
            catch (KafkaException e) when (!e.Error.IsFatal && attempt < 20)
            {
                Log.CommitRetried(_logger, attempt, e.Error.Reason);
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(2000, 50 << Math.Min(attempt, 6))));
            }
        }
    }

    /// <summary>librdkafka's own log lines, through FinNet's logging and with every setting value redacted.</summary>
    private void LibraryLog(LogMessage message) => LibraryLog(_logger, _settings, message);

    private static void LibraryLog(ILogger logger, KafkaSettings settings, LogMessage message)
    {
        var level = LevelOf(message.Level);
        if (!logger.IsEnabled(level))
            return;
        var redacted = settings.Redact(message.Message);
        Log.KafkaLibrary(logger, level, message.Facility, redacted);
    }

    private static LogLevel LevelOf(SyslogLevel level) => level switch
    {
        <= SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    private void DeadLetter(IProducer<string, byte[]> producer, ConsumeResult<string, byte[]> result, string reason)
    {
        Log.DeadLettered(_logger, result.Topic, result.Partition.Value, result.Offset.Value, reason);
        var message = new Message<string, byte[]>
        {
            Key = result.Message.Key,
            Value = result.Message.Value,
            Headers =
            [
                new Header("finnet-reason", System.Text.Encoding.UTF8.GetBytes(reason)),
                new Header("finnet-source", System.Text.Encoding.UTF8.GetBytes($"{result.Topic}/{result.Partition.Value}/{result.Offset.Value}")),
            ],
        };
        Produce(producer, new TopicPartition(KafkaTopics.DeadLetters(result.Topic), Partition.Any), result.Message.Key, message, CancellationToken.None);
    }

    private decimal? SharesOf(string investorId, string portfolioId) =>
        _network.Portfolios.FirstOrDefault(p => p.InvestorId == investorId && p.Id == portfolioId)?.SharesOutstanding;

    private Dictionary<TopicPartition, long> HighWatermarks(string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(_settings.Consumer("finnet-watermarks")).SetLogHandler((_, m) => LibraryLog(m)).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, Timeout).Topics[0].Partitions.Count;
        return Enumerable.Range(0, partitions)
            .Select(p => new TopicPartition(topic, p))
            .ToDictionary(tp => tp, tp => consumer.QueryWatermarkOffsets(tp, Timeout).High.Value);
    }

    private IProducer<string, byte[]> Producer()
    {
        lock (_producerLock)
            return _producer ??= new ProducerBuilder<string, byte[]>(_settings.Producer()).SetLogHandler((_, m) => LibraryLog(m)).Build();
    }

    private void Produce(IProducer<string, byte[]> producer, TopicPartition target, string key, byte[] value, CancellationToken cancellationToken) =>
        Produce(producer, target, key, new Message<string, byte[]> { Key = key, Value = value }, cancellationToken);

    /// <summary>Produces without waiting for the acknowledgement (the delivery report records a failure); waits while the local queue is full.</summary>
    private void Produce(IProducer<string, byte[]> producer, TopicPartition target, string key, Message<string, byte[]> message, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                producer.Produce(target, message, report =>
                {
                    if (report.Error.IsError)
                        Interlocked.CompareExchange(ref _deliveryError, new KafkaException(report.Error), null);
                });
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                cancellationToken.ThrowIfCancellationRequested();
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private void ThrowIfDeliveryFailed()
    {
        if (Volatile.Read(ref _deliveryError) is { } error)
            throw new InvalidOperationException($"publishing to Kafka failed: {error.Message}", error);
    }

    public void Dispose()
    {
        _producer?.Flush(Timeout);
        _producer?.Dispose();
    }
}
