using System.Text;

namespace FinNet.Messaging.Kafka;

/// <summary>The price topic's partition of a ticker: FNV-1a of its UTF-8 bytes, so every FinNet producer agrees.</summary>
internal sealed class PricePartitioner(int partitions)
{
    public int Partitions => partitions;

    public int PartitionOf(string ticker)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(ticker))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash % (uint)partitions);
    }
}
