using System.Buffers.Binary;
using System.Text;

namespace FinNet.Messaging.Kafka;

/// <summary>
/// A topic's partition of a key (the price topic's of a ticker, the NAV topic's of <c>Inv1_P11</c>): Kafka's standard key hash, murmur2 of the key's UTF-8 bytes, made
/// positive and taken modulo the partition count (the Java client's default partitioner, librdkafka's
/// <c>murmur2_random</c>), so any client keying a price by its ticker puts it where FinNet expects it.
/// </summary>
internal sealed class KeyPartitioner(int partitions)
{
    public int Partitions => partitions;

    public int PartitionOf(string ticker) => (int)((Murmur2(Encoding.UTF8.GetBytes(ticker)) & 0x7fffffff) % (uint)partitions);

    /// <summary>Kafka's murmur2 (seed 0x9747b28c), as <c>org.apache.kafka.common.utils.Utils.murmur2</c> computes it.</summary>
    public static uint Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var h = 0x9747b28cu ^ (uint)data.Length;
        var whole = data.Length & ~3;
        for (var i = 0; i < whole; i += 4)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        switch (data.Length & 3)
        {
            case 3:
                h ^= (uint)data[whole + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[whole + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[whole];
                h *= m;
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return h;
    }
}
