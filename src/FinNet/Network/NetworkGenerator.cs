using System.Globalization;
using System.Text.Json;

namespace FinNet.Network;

/// <summary>
/// Writes a network file of any size, so FinNet can be tried at scale: <c>finnet network generate</c>. Deterministic:
/// the same options give the same bytes (its own SplitMix64 stream, no <see cref="Random"/> whose algorithm may change).
/// </summary>
/// <remarks>
/// Stocks and portfolios are totals spread evenly over exchanges and investors (the first <c>total mod n</c> get one
/// more); ids are numbered across the whole network (<c>SE1</c>.., <c>S0001</c>.., <c>Inv1</c>.., <c>P1</c>..). Each
/// stock gets a log-uniform reference price between 5 and 1,000, a drift between 2 % and 12 % and a volatility between
/// 15 % and 45 % a year; each portfolio <c>--holdings</c> distinct stocks drawn across all exchanges, 100 to 5,000
/// shares of each (in hundreds), and 10,000 to 20,000 shares outstanding.
/// </remarks>
public static class NetworkGenerator
{
    /// <summary>The documented caps of each count: far beyond what one machine runs, well inside what the stores name.</summary>
    public static readonly IReadOnlyDictionary<string, int> Caps = new Dictionary<string, int>
    {
        ["exchanges"] = 1_000,
        ["stocks"] = 100_000,
        ["investors"] = 100_000,
        ["portfolios"] = 1_000_000,
        ["holdings"] = 1_000,
    };

    private static readonly string[] Cities = ["New York", "London", "Tokyo", "Frankfurt", "Singapore", "Zurich", "Toronto", "Sydney", "Paris", "Hong Kong"];

    /// <param name="exchanges">How many exchanges (SE1..).</param>
    /// <param name="stocks">How many stocks in all, spread over the exchanges.</param>
    /// <param name="investors">How many investors.</param>
    /// <param name="portfolios">How many portfolios in all, spread over the investors.</param>
    /// <param name="holdings">Distinct stocks per portfolio.</param>
    /// <param name="seed">The seed: the same options give the same file.</param>
    /// <returns>The network file's UTF-8 bytes (indented JSON, the format of <c>network.default.json</c>).</returns>
    public static byte[] Generate(int exchanges, int stocks, int investors, int portfolios, int holdings, long seed)
    {
        Validate(exchanges, stocks, investors, portfolios, holdings);
        var random = new SplitMix(seed);
        var width = Math.Max(4, stocks.ToString(CultureInfo.InvariantCulture).Length);
        var tickers = Enumerable.Range(1, stocks).Select(i => "S" + i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')).ToArray();

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("exchanges");
            var next = 0;
            for (var e = 0; e < exchanges; e++)
            {
                json.WriteStartObject();
                json.WriteString("id", $"SE{e + 1}");
                json.WriteString("calendar", TradingCalendar.Default.Name);
                json.WriteStartArray("stocks");
                for (var s = 0; s < Share(stocks, exchanges, e); s++)
                {
                    json.WriteStartObject();
                    json.WriteString("ticker", tickers[next++]);
                    json.WriteNumber("price", Math.Round((decimal)Math.Exp(Math.Log(5) + (random.Unit() * (Math.Log(1000) - Math.Log(5)))), 2));
                    json.WriteNumber("drift", Math.Round((decimal)(0.02 + (random.Unit() * 0.10)), 3));
                    json.WriteNumber("volatility", Math.Round((decimal)(0.15 + (random.Unit() * 0.30)), 3));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();

            json.WriteStartArray("investors");
            var portfolio = 0;
            var picks = Enumerable.Range(0, stocks).ToArray();
            for (var i = 0; i < investors; i++)
            {
                json.WriteStartObject();
                json.WriteString("id", $"Inv{i + 1}");
                json.WriteString("name", $"Investor {i + 1}");
                json.WriteString("city", Cities[i % Cities.Length]);
                json.WriteStartArray("portfolios");
                for (var p = 0; p < Share(portfolios, investors, i); p++)
                {
                    portfolio++;
                    json.WriteStartObject();
                    json.WriteString("id", $"P{portfolio}");
                    json.WriteString("name", $"Portfolio {portfolio}");
                    json.WriteBoolean("cumulative", random.Unit() < 0.5);
                    json.WriteNumber("shares", 10_000 + (100 * random.Below(101)));
                    json.WriteStartObject("holdings");
                    // A partial Fisher-Yates shuffle: the first `holdings` of the stocks, drawn without repetition,
                    // then written in ticker order so the file reads well.
                    for (var h = 0; h < holdings; h++)
                    {
                        var j = h + random.Below(stocks - h);
                        (picks[h], picks[j]) = (picks[j], picks[h]);
                    }
                    foreach (var pick in picks.Take(holdings).Order())
                        json.WriteNumber(tickers[pick], 100 * (1 + random.Below(50)));
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.ToArray();
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first option out of bounds.</summary>
    public static void Validate(int exchanges, int stocks, int investors, int portfolios, int holdings)
    {
        foreach (var (name, value) in new[] { ("exchanges", exchanges), ("stocks", stocks), ("investors", investors), ("portfolios", portfolios), ("holdings", holdings) })
        {
            if (value < 1 || value > Caps[name])
                throw new InvalidInputException($"--{name}: {value} is not between 1 and {Caps[name]:N0}");
        }
        if (stocks < exchanges)
            throw new InvalidInputException($"--stocks {stocks} is fewer than --exchanges {exchanges}: every exchange lists at least one stock");
        if (portfolios < investors)
            throw new InvalidInputException($"--portfolios {portfolios} is fewer than --investors {investors}: every investor manages at least one portfolio");
        if (holdings > stocks)
            throw new InvalidInputException($"--holdings {holdings} is more than --stocks {stocks}: a portfolio holds distinct stocks");
    }

    /// <summary>Item <paramref name="index"/>'s share of <paramref name="total"/> over <paramref name="parts"/>: the first total mod parts get one more.</summary>
    private static int Share(int total, int parts, int index) => (total / parts) + (index < total % parts ? 1 : 0);

    /// <summary>SplitMix64: a small, fully specified generator, so a seed means the same file on every .NET.</summary>
    private sealed class SplitMix(long seed)
    {
        private ulong _state = (ulong)seed;

        public ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, 1).</summary>
        public double Unit() => (Next() >> 11) * (1.0 / (1UL << 53));

        /// <summary>Uniform in [0, n).</summary>
        public int Below(int n) => (int)(Next() % (ulong)n);
    }
}
