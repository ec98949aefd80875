using System.Text.Json;
using FinNet.Investors;

namespace FinNet.Analyst;

/// <summary>One server-sent event: its id (increasing from 1) and its data, a JSON array of NAVs.</summary>
public sealed record NavEvent(long Id, byte[] Data);

/// <summary>
/// The NAVs as they arrive, as numbered events for the dashboard's event stream: the last <see cref="Held"/> events
/// are kept, so a client that reconnects with the last id it saw gets what it missed, or learns that it must start
/// over. Each event carries at most <see cref="MostNavsPerEvent"/> NAVs, which bounds memory whatever the network's size.
/// </summary>
public sealed class NavEvents
{
    public const int Held = 10_000;
    public const int MostNavsPerEvent = 100;

    private readonly NavEvent[] _ring = new NavEvent[Held];
    private readonly Lock _lock = new();
    private long _lastId;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long LastId
    {
        get
        {
            lock (_lock)
                return _lastId;
        }
    }

    /// <summary>Numbers <paramref name="navs"/> as events (in order, split every <see cref="MostNavsPerEvent"/>) and wakes the waiting clients.</summary>
    public void Append(IReadOnlyList<(string Portfolio, NavPoint Nav)> navs)
    {
        if (navs.Count == 0)
            return;
        var events = navs.Chunk(MostNavsPerEvent).Select(Serialize).ToList();
        TaskCompletionSource woken;
        lock (_lock)
        {
            foreach (var data in events)
            {
                _lastId++;
                _ring[_lastId % Held] = new NavEvent(_lastId, data);
            }
            (woken, _next) = (_next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        woken.SetResult();
    }

    /// <summary>The events after <paramref name="lastSeen"/>, oldest first, at most <paramref name="most"/>; null when some of them are no longer held.</summary>
    public IReadOnlyList<NavEvent>? After(long lastSeen, int most = 100)
    {
        lock (_lock)
        {
            if (lastSeen < _lastId - Held || lastSeen > _lastId)
                return null;
            var count = (int)Math.Min(most, _lastId - lastSeen);
            var events = new NavEvent[count];
            for (var i = 0; i < count; i++)
                events[i] = _ring[(lastSeen + 1 + i) % Held];
            return events;
        }
    }

    /// <summary>Completes once an event after <paramref name="lastSeen"/> exists.</summary>
    public Task WaitAfterAsync(long lastSeen, CancellationToken cancellationToken)
    {
        lock (_lock)
            return lastSeen < _lastId ? Task.CompletedTask : _next.Task.WaitAsync(cancellationToken);
    }

    private static byte[] Serialize(IEnumerable<(string Portfolio, NavPoint Nav)> navs)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (portfolio, nav) in navs)
            {
                json.WriteStartObject();
                json.WriteString("portfolio", portfolio);
                json.WriteString("date", nav.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                json.WriteNumber("nav_per_share", nav.NavPerShare);
                WriteNullable(json, "change", nav.Change);
                WriteNullable(json, "change_percent", nav.ChangePercent);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } number)
            json.WriteNumber(name, number);
        else
            json.WriteNull(name);
    }
}
