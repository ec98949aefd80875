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

    public Option<string> PriceTopic { get; } = DevKafkaCommand.PriceTopic();

    public Option<string> NavTopic { get; } = DevKafkaCommand.NavTopic();

    public Option<int> Partitions { get; } = new("--partitions")
    {
        Description = "Partitions of a topic FinNet has to create (existing topics keep theirs)",
        DefaultValueFactory = _ => DevKafkaCommand.DefaultPartitions,
    };

    public Option<short> Replication { get; } = new("--replication")
    {
        Description = "Replication factor of a topic FinNet has to create (at most the number of brokers)",
        DefaultValueFactory = _ => 3,
    };

    public void AddTo(Command command)
    {
        foreach (var option in (Option[])[Bootstrap, Config, ConfigFile, PriceTopic, NavTopic, Partitions, Replication])
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
            parsed.GetValue(Partitions), parsed.GetValue(Replication), markers);
    }
}

/// <summary>Java properties files (<c>key=value</c>, <c>key: value</c> or <c>key value</c>; <c>#</c>/<c>!</c> comments; trailing <c>\</c> continues a line).</summary>
internal static class JavaProperties
{
    public static IEnumerable<(string Key, string Value)> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"--kafka-config-file {path}: cannot read it ({e.Message})", e);
        }
        var logical = new List<string>();
        var current = "";
        foreach (var raw in lines)
        {
            var line = current.Length > 0 ? raw.TrimStart() : raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line[0] is '#' or '!'))
                continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1];
                continue;
            }
            logical.Add(current + line);
            current = "";
        }
        foreach (var line in logical)
        {
            var split = line.IndexOfAny(['=', ':', ' ', '\t']);
            if (split <= 0)
                throw new InvalidInputException($"--kafka-config-file {path}: a line without a key and value");
            yield return (line[..split].Trim(), line[(split + 1)..].TrimStart(' ', '\t', '=', ':'));
        }
    }
}
