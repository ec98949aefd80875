using System.CommandLine;
using FinNet.Messaging.Kafka;

namespace FinNet.Cli.Commands;

/// <summary>
/// The options that put a command on Kafka: <c>--kafka BOOTSTRAP_SERVERS</c>, client settings passed through
/// unchanged (<c>--kafka-config KEY=VALUE</c>, <c>--kafka-config-file FILE</c> in Java properties format), topic
/// names and how to create missing topics. Setting values never appear in output.
/// </summary>
internal sealed class KafkaOptions
{
    public Option<string?> Bootstrap { get; } = new("--kafka")
    {
        Description = "Talk through Kafka at these bootstrap servers (host:port,...) instead of the in-process bus",
        HelpName = "servers",
    };

    public Option<string[]> Config { get; } = new("--kafka-config")
    {
        Description = "A Kafka client setting, passed through unchanged (e.g. security.protocol=SASL_SSL); repeatable",
        HelpName = "key=value",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> ConfigFile { get; } = new("--kafka-config-file")
    {
        Description = "Kafka client settings in Java properties format, as Kafka's own tools take (--kafka-config wins)",
        HelpName = "file",
    };

    public Option<string> PriceTopic { get; } = PriceTopicOption();

    public Option<string> NavTopic { get; } = NavTopicOption();

    public Option<int> Partitions { get; } = Positive(new Option<int>("--partitions")
    {
        Description = "Partitions of a topic FinNet has to create (existing topics keep theirs)",
        DefaultValueFactory = _ => KafkaSettings.DefaultPartitions,
    });

    public Option<short> Replication { get; } = Positive(new Option<short>("--replication")
    {
        Description = "Replication factor of a topic FinNet has to create (at most the number of brokers)",
        DefaultValueFactory = _ => KafkaSettings.DefaultReplication,
    });

    public Option<string> GroupProtocol { get; } = OneOf(new Option<string>("--group-protocol")
    {
        Description = "Consumer group protocol of the valuation workers and recorders: consumer (KIP-848: Kafka 4.0 or later, or " +
            "finnet dev-kafka; a dead member's work moves within the broker's session timeout, with no group-wide rejoin), classic, " +
            "or auto: consumer where the brokers offer it, classic otherwise",
        DefaultValueFactory = _ => "auto",
        HelpName = "auto|classic|consumer",
    }, "auto", "classic", "consumer");

    public Option<TimeSpan?> Timeout { get; } = CommonOptions.Duration(
        "--kafka-timeout", $"How long to wait for the cluster's first answer before giving up [default: {KafkaSettings.DefaultConnectTimeout.TotalSeconds:0}s]");

    private static Option<string> OneOf(Option<string> option, params string[] values)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is var value && !values.Contains(value, StringComparer.Ordinal))
                result.AddError($"{option.Name}: '{value}' is not one of {string.Join(", ", values)}");
        });
        return option;
    }

    private static Option<T> Positive<T>(Option<T> option)
        where T : System.Numerics.INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() <= T.Zero)
                result.AddError($"{option.Name}: must be at least 1, got {result.GetValueOrDefault<T>()}");
        });
        return option;
    }

    /// <summary>The price topic's name (also taken by <c>dev-kafka</c>, which creates it).</summary>
    public static Option<string> PriceTopicOption() => new("--price-topic")
    {
        Description = "Topic of prices (and end-of-day markers)",
        DefaultValueFactory = _ => KafkaTopics.DefaultPrices,
        HelpName = "topic",
    };

    /// <summary>The NAV topic's name (also taken by <c>dev-kafka</c>).</summary>
    public static Option<string> NavTopicOption() => new("--nav-topic")
    {
        Description = "Topic of NAVs",
        DefaultValueFactory = _ => KafkaTopics.DefaultNavs,
        HelpName = "topic",
    };

    /// <param name="groups">Whether the command consumes in a group (recorders, valuation workers): it then takes <c>--group-protocol</c>.</param>
    public void AddTo(Command command, bool groups = false)
    {
        foreach (var option in (Option[])[Bootstrap, Config, ConfigFile, PriceTopic, NavTopic, Partitions, Replication, .. groups ? [GroupProtocol] : Array.Empty<Option>(), Timeout])
            command.Options.Add(option);
    }

    /// <summary>The settings, or null without <c>--kafka</c>.</summary>
    public KafkaSettings? Read(ParseResult parsed, bool markers = true)
    {
        if (parsed.GetValue(Bootstrap) is not { Length: > 0 } bootstrap)
            return null;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parsed.GetValue(ConfigFile) is { } file)
        {
            foreach (var (key, value) in JavaProperties.Read(file))
                settings[key] = value;
        }
        foreach (var pair in parsed.GetValue(Config) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new InvalidInputException($"--kafka-config: '{pair.Split('=')[0]}' is not KEY=VALUE");
            settings[pair[..equals].Trim()] = pair[(equals + 1)..];
        }
        settings.Remove("bootstrap.servers");
        return new KafkaSettings(bootstrap, settings, new KafkaTopics(parsed.GetValue(PriceTopic)!, parsed.GetValue(NavTopic)!),
            parsed.GetValue(Partitions), parsed.GetValue(Replication), markers, parsed.GetValue(Timeout) is { } timeout && timeout > TimeSpan.Zero ? timeout : null,
            // A command without the option joins no group: classic settings, nothing to ask the brokers.
            !parsed.CommandResult.Command.Options.Contains(GroupProtocol) ? Confluent.Kafka.GroupProtocol.Classic : parsed.GetValue(GroupProtocol) switch
            {
                "consumer" => Confluent.Kafka.GroupProtocol.Consumer,
                "classic" => Confluent.Kafka.GroupProtocol.Classic,
                _ => null,
            });
    }
}
