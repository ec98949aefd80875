using System.Text.Json;
using System.Text.Json.Nodes;

namespace FinNet.Tests.Analyst;

/// <summary>
/// "Equal" as the live analyst promises against the batch report: the same shape, strings and nulls; the five
/// statistics' numbers exactly (they are exact decimals); every other number within
/// |a - b| ≤ 1e-9 · max(|a|, |b|) + 1e-12.
/// </summary>
public static class ReportTolerance
{
    /// <summary>The keys of a report document that hold the five statistics.</summary>
    private static readonly HashSet<string> FiveStatistics =
        ["daily_change", "daily_change_by_year", "nav_per_share", "nav_per_share_in_period", "monthly_mean_nav_per_share"];

    /// <summary>The node at a dotted <paramref name="path"/> such as <c>metrics.max_drawdown.depth</c> or <c>metrics.monthly_returns.1.months.11</c>; null if absent or null.</summary>
    public static JsonNode? At(JsonNode report, string path)
    {
        JsonNode? node = report;
        foreach (var step in path.Split('.'))
            node = int.TryParse(step, System.Globalization.CultureInfo.InvariantCulture, out var at) && node is JsonArray array ? array[at] : node?[step];
        return node;
    }

    public static void AssertEqual(JsonNode? expected, JsonNode? actual, string path, bool exact = false)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {actual?.ToJsonString()}");
                break;
            case JsonObject obj:
                var other = Assert.IsType<JsonObject>(actual);
                Assert.Equal(obj.Select(p => p.Key), other.Select(p => p.Key));
                foreach (var (key, value) in obj)
                    AssertEqual(value, other[key], $"{path}.{key}", exact || FiveStatistics.Contains(key));
                break;
            case JsonArray array:
                var items = Assert.IsType<JsonArray>(actual);
                Assert.True(array.Count == items.Count, $"{path}: {array.Count} items expected, got {items.Count}");
                for (var i = 0; i < array.Count; i++)
                    AssertEqual(array[i], items[i], $"{path}[{i}]", exact);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && !exact:
                Assert.True(actual is JsonValue, $"{path}: expected {value}, got {actual?.ToJsonString()}");
                var (a, b) = (value.GetValue<double>(), actual!.GetValue<double>());
                Assert.True(Math.Abs(a - b) <= (1e-9 * Math.Max(Math.Abs(a), Math.Abs(b))) + 1e-12, $"{path}: expected {a:R}, got {b:R}");
                break;
            default:
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{path}: expected {expected.ToJsonString()}, got {actual?.ToJsonString()}");
                break;
        }
    }
}
