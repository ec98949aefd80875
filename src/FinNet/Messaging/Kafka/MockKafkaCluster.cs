using System.Reflection;
using System.Runtime.InteropServices;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// librdkafka's built-in mock cluster: a real Kafka protocol server (several brokers on loopback TCP ports) in this
/// process, from the same native library Confluent.Kafka ships. A test broker: in memory, not durable, and without
/// some of a real broker's guarantees (see the README). Behind <c>finnet dev-kafka</c> and the Kafka tests.
/// </summary>
public sealed partial class MockKafkaCluster : IDisposable
{
    private const string Library = "librdkafka";
    private static readonly Lock ResolverLock = new();
    private static bool _resolverSet;
    private readonly IntPtr _client;
    private IntPtr _cluster;

    private MockKafkaCluster(IntPtr client, IntPtr cluster, string bootstrapServers)
    {
        _client = client;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The <c>bootstrap.servers</c> string of the brokers, e.g. <c>127.0.0.1:40123,127.0.0.1:40125</c>.</summary>
    public string BootstrapServers { get; }

    public static MockKafkaCluster Start(int brokers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        UseShippedLibrary();
        var conf = rd_kafka_conf_new();
        var error = new byte[512];
        rd_kafka_conf_set(conf, "log_level", "3", error, (nuint)error.Length); // errors only: the handle exists to host the cluster
        var client = rd_kafka_new(0 /* RD_KAFKA_PRODUCER */, conf, error, (nuint)error.Length);
        if (client == IntPtr.Zero)
            throw new InvalidOperationException($"rd_kafka_new failed: {System.Text.Encoding.UTF8.GetString(error).TrimEnd('\0')}");
        var cluster = rd_kafka_mock_cluster_new(client, brokers);
        if (cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }
        var bootstraps = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(cluster))!;
        var mock = new MockKafkaCluster(client, cluster, bootstraps);
        // A group's first join waits 3 s by default: nothing to wait for on a test broker.
        rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, 0);
        // Groups on the consumer protocol (KIP-848, --group-protocol consumer) take their session timeout and
        // heartbeat interval from the broker: here the session of FinNet's classic groups (6 s), and a heartbeat a
        // second, since a member learns each change of its assignment at a heartbeat.
        rd_kafka_mock_set_group_consumer_session_timeout_ms(cluster, 6000);
        rd_kafka_mock_set_group_consumer_heartbeat_interval_ms(cluster, 1000);
        return mock;
    }

    /// <summary>
    /// A cluster of <paramref name="brokers"/> holding every topic FinNet uses (<see cref="KafkaTopics.All"/>: prices,
    /// NAVs, their dead letters, the valuation state), each with <paramref name="partitions"/> partitions on up to 3
    /// replicas. The mock cannot create topics on request, so dev-kafka, the tests and the benchmarks start this way.
    /// </summary>
    public static MockKafkaCluster StartWithTopics(int brokers, int partitions, KafkaTopics? topics = null)
    {
        var cluster = Start(brokers);
        try
        {
            foreach (var topic in (topics ?? new KafkaTopics()).All)
                cluster.CreateTopic(topic, partitions, Math.Min(3, brokers));
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public void CreateTopic(string topic, int partitions, int replication)
    {
        Check(rd_kafka_mock_topic_create(_cluster, topic, partitions, replication), $"creating mock topic {topic}");
    }

    public void SetBrokerDown(int brokerId) => Check(rd_kafka_mock_broker_set_down(_cluster, brokerId), $"taking broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(rd_kafka_mock_broker_set_up(_cluster, brokerId), $"bringing broker {brokerId} up");

    private static void Check(int error, string what)
    {
        if (error != 0)
            throw new InvalidOperationException($"{what} failed: librdkafka error {error}");
    }

    /// <summary>From now on the brokers do not offer request type <paramref name="apiKey"/>, as an older Kafka would not.</summary>
    public void DisableApi(short apiKey) => Check(rd_kafka_mock_set_apiversion(_cluster, apiKey, -1, -1), $"disabling API {apiKey}");

    /// <summary>Makes the next <paramref name="errors"/>.Length requests of <paramref name="apiKey"/> fail with those error codes.</summary>
    public void PushRequestErrors(short apiKey, params int[] errors) =>
        rd_kafka_mock_push_request_errors_array(_cluster, apiKey, (nuint)errors.Length, errors);

    /// <summary>
    /// Delays broker <paramref name="brokerId"/>'s answer to its next request of <paramref name="apiKey"/> by
    /// <paramref name="roundTrip"/> (answering without error). Longer than a client's socket.timeout.ms, it makes the
    /// client retry a request the broker already carried out: the mock keeps both, so duplicates are real.
    /// </summary>
    public void DelayNextResponse(int brokerId, short apiKey, TimeSpan roundTrip) =>
        Check(rd_kafka_mock_broker_push_request_error_rtts(_cluster, brokerId, apiKey, 1, 0, (int)roundTrip.TotalMilliseconds), $"delaying broker {brokerId}");

    /// <summary>From now on the cluster records every request it receives (see <see cref="CountRequests"/>).</summary>
    public void StartRequestTracking() => rd_kafka_mock_start_request_tracking(_cluster);

    /// <summary>How many requests of <paramref name="apiKey"/> the brokers received since tracking started.</summary>
    public int CountRequests(short apiKey)
    {
        var requests = rd_kafka_mock_get_requests(_cluster, out var count);
        try
        {
            var matching = 0;
            for (var i = 0; i < (int)count; i++)
            {
                if (rd_kafka_mock_request_api_key(Marshal.ReadIntPtr(requests, i * IntPtr.Size)) == apiKey)
                    matching++;
            }
            return matching;
        }
        finally
        {
            if (requests != IntPtr.Zero)
                rd_kafka_mock_request_destroy_array(requests, count);
        }
    }

    public void Dispose()
    {
        if (_cluster == IntPtr.Zero)
            return;
        rd_kafka_mock_cluster_destroy(_cluster);
        rd_kafka_destroy(_client);
        _cluster = IntPtr.Zero;
    }

    /// <summary>
    /// Loads the librdkafka that Confluent.Kafka ships beside the application. Its default Linux build needs
    /// libsasl2.so.3, which Debian does not have; like Confluent.Kafka, fall back to the package's centos8 build.
    /// </summary>
    private static void UseShippedLibrary()
    {
        lock (ResolverLock)
        {
            if (_resolverSet)
                return;
            NativeLibrary.SetDllImportResolver(typeof(MockKafkaCluster).Assembly, Resolve);
            _resolverSet = true;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
            return IntPtr.Zero;
        // A portable build keeps native libraries under runtimes/<rid>/native; a publish for one runtime (./finnet's
        // build) puts them beside the application.
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64", "native");
        foreach (var folder in new[] { native, AppContext.BaseDirectory })
        {
            foreach (var candidate in new[] { "librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so" })
            {
                if (NativeLibrary.TryLoad(Path.Combine(folder, candidate), out var handle))
                    return handle;
            }
        }
        return IntPtr.Zero; // the default search, and its error if that fails too
    }

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, [Out] byte[] error, nuint errorSize);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_new(int type, IntPtr conf, [Out] byte[] error, nuint errorSize);

    [LibraryImport(Library)]
    private static partial void rd_kafka_destroy(IntPtr client);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_new(IntPtr client, int brokers);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replication);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_set_group_consumer_session_timeout_ms(IntPtr cluster, int sessionTimeoutMs);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_set_group_consumer_heartbeat_interval_ms(IntPtr cluster, int heartbeatIntervalMs);

    // Variadic in C ((error, rtt) pairs after the count); with one pair, every argument travels in an integer
    // register on x86-64 and arm64, where a fixed signature calls it correctly.
    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_push_request_error_rtts(IntPtr cluster, int brokerId, short apiKey, nuint count, int error, int roundTripMs);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_start_request_tracking(IntPtr cluster);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_mock_get_requests(IntPtr cluster, out nuint count);

    [LibraryImport(Library)]
    private static partial short rd_kafka_mock_request_api_key(IntPtr request);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_request_destroy_array(IntPtr requests, nuint count);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_set_apiversion(IntPtr cluster, short apiKey, short minVersion, short maxVersion);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, nuint count, [In] int[] errors);
}
