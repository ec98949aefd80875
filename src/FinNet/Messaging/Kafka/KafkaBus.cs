using Confluent.Kafka;
using FinNet.Exchanges;
using FinNet.Investors;
using FinNet.Network;
using Microsoft.Extensions.Logging;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// The bus over Kafka: prices (and end-of-day markers) on the price topic, keyed by ticker and partitioned by a
/// stable hash of it; NAVs on the NAV topic keyed <c>Inv1_P11</c>; anything malformed to <c>&lt;topic&gt;.dlq</c>.
/// Each stage's part lives in a file of its own: <see cref="PricePublishing"/> (exchanges),
/// <see cref="PriceValuation"/> (one investor), <see cref="ValuationWorker"/> (the whole network's workers), <see cref="Recording"/> (the recorder), <see cref="DeadLetters"/>.
/// The delivery guarantees are written out in <c>docs/delivery.md</c> and beside each role.
/// </summary>
public sealed class KafkaBus : IMessageBus, IDisposable
{
    private readonly KafkaClients _clients;
    private readonly PublishingProducer _producer;
    private readonly PricePublishing _publishing;
    private readonly PriceValuation _valuation;
    private readonly Recording _recording;
    private readonly LiveReading _liveReading;
    private readonly Func<ValuationWorker> _worker;
    private volatile Dictionary<TopicPartition, long>? _priceEnd;
    private volatile Dictionary<TopicPartition, long>? _recordingEnd;

    private KafkaBus(KafkaClients clients, int pricePartitions, int navPartitions, int statePartitions, InvestmentNetwork network)
    {
        _clients = clients;
        _producer = new PublishingProducer(clients);
        var partitioner = new KeyPartitioner(pricePartitions);
        var incoming = new IncomingMessages(network, partitioner, new KeyPartitioner(navPartitions));
        _publishing = new PricePublishing(clients, _producer, partitioner);
        _valuation = new PriceValuation(clients, partitioner, _publishing, incoming);
        _recording = new Recording(clients, _producer, new DeadLetters(_producer, clients.Logger), incoming);
        _liveReading = new LiveReading(clients, incoming, pricePartitions, navPartitions);
        _worker = () => new ValuationWorker(clients, network, pricePartitions, statePartitions, _publishing, incoming);
    }

    /// <summary>Checks the cluster, creating missing topics, and learns how many partitions the price topic has.</summary>
    /// <param name="network">
    /// What valid messages are (<see cref="MessageRules"/>), and each portfolio's shares outstanding, which turn
    /// another producer's NAV message (whole-portfolio value only) into a NAV per share.
    /// </param>
    /// <param name="valuationWorker">Also the state topic, which only valuation workers use (<see cref="RunValuationWorkerAsync"/>).</param>
    public static async Task<KafkaBus> ConnectAsync(KafkaSettings settings, InvestmentNetwork network, ILogger logger, CancellationToken cancellationToken, bool valuationWorker = false)
    {
        try
        {
            var topics = (valuationWorker ? settings.Topics.All : settings.Topics.Shared).ToList();
            var (partitions, connected) = await settings.ConnectAsync(topics, message => KafkaClients.LibraryLog(logger, settings, message), cancellationToken);
            if (settings.GroupProtocol is null)
                Log.GroupProtocolChosen(logger, connected.GroupProtocol == GroupProtocol.Consumer);
            settings = connected;
            return new KafkaBus(new KafkaClients(settings, logger), partitions[settings.Topics.Prices], partitions[settings.Topics.Navs], partitions.GetValueOrDefault(settings.Topics.State), network);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && e is not ObjectDisposedException)
        {
            throw new InvalidInputException($"--kafka-config: {settings.Redact(e.Message)}", e);
        }
        catch (KafkaException e) when (e.Error.IsLocalError)
        {
            // Local errors are the client's own: no broker answered within --kafka-timeout (transport, resolve, timeout).
            var within = (settings.ConnectTimeout ?? KafkaSettings.DefaultConnectTimeout).TotalSeconds;
            throw new ServiceUnavailableException($"Kafka at {settings.BootstrapServers}: no broker answered within {within:0.#} s ({settings.Redact(e.Error.Reason)}); check --kafka, or raise --kafka-timeout", e);
        }
    }

    public Task PublishTradingDayAsync(string exchangeId, DateOnly date, IReadOnlyList<PriceQuote> closes, CancellationToken cancellationToken)
    {
        _publishing.PublishTradingDay(exchangeId, date, closes, cancellationToken);
        return Task.CompletedTask;
    }

    /// <summary>Waits until everything published so far is acknowledged (acks=all); throws if anything failed.</summary>
    public void Flush(CancellationToken cancellationToken) => _producer.Flush(cancellationToken);

    /// <summary>The last day <paramref name="exchangeId"/> fully published (null if none): a restarted exchange resumes after it.</summary>
    public DateOnly? LastPublishedDay(string exchangeId) => _publishing.LastPublishedDay(exchangeId);

    public Task ProcessPricesAsync(PriceSubscription subscription, Func<IReadOnlyList<PriceQuote>, IReadOnlyList<NavUpdate>> valuer, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => _valuation.Run(subscription, valuer, () => _priceEnd, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// A valuation worker (<c>finnet investor</c> without an id): values its share of the whole network's portfolios,
    /// shared with the other workers through the group <c>finnet-valuation</c>, until cancelled.
    /// </summary>
    public Task RunValuationWorkerAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => _worker().Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public Task ConsumeForRecordingAsync(Func<RecordBatch, Task<RecordBatch>> record, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => _recording.RunAsync(record, () => _recordingEnd, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    /// <summary>
    /// The live analyst (<c>finnet serve --kafka</c>): every price and NAV on the topics from their beginning, then
    /// as they come, in batches to <paramref name="receive"/>; <paramref name="reached"/> after each read, with the lag
    /// per partition. Until cancelled.
    /// </summary>
    public Task FollowAsync(Action<RecordBatch> receive, Action<IReadOnlyDictionary<string, long>> reached, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => _liveReading.RunAsync(receive, reached, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    /// <summary>In one process (<c>finnet run --kafka</c>): every exchange is done; investors end once they have read this far.</summary>
    public void CompletePrices()
    {
        Flush(CancellationToken.None);
        _priceEnd = _clients.HighWatermarks(_clients.Topics.Prices);
    }

    /// <summary>
    /// Every investor is done (so every exchange was, and <see cref="CompletePrices"/> ran): the recorder ends once it
    /// has committed everything published so far on both topics.
    /// </summary>
    public void CompleteNavs() =>
        _recordingEnd = _priceEnd is { } prices ? prices.Concat(_clients.HighWatermarks(_clients.Topics.Navs)).ToDictionary() : null;

    public void Dispose() => _producer.Dispose();
}
