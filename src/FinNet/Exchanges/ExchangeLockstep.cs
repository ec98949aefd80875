namespace FinNet.Exchanges;

/// <summary>
/// Keeps the exchanges of one process within <see cref="MaxLeadDays"/> of each other: an exchange waits before
/// publishing a date more than that many days past the slowest exchange still publishing.
/// </summary>
/// <remarks>
/// Why: an investor can value a date only once every exchange it depends on has published it, and holds the
/// prices of the dates it cannot value yet. Unpaced, one exchange ran months ahead of the other (its stocks are
/// cheaper to simulate, or a scheduler favoured it), and every investor held months of half-priced days: 3.8 GB
/// for 1,000 portfolios. With the lead bounded, what an investor holds is bounded by MaxLeadDays days of prices.
/// </remarks>
public sealed class ExchangeLockstep
{
    /// <summary>How many calendar days one exchange may run ahead of the slowest: a few trading days, whatever the holidays.</summary>
    public const int MaxLeadDays = 10;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateOnly> _published;
    private TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="exchangeIds">Every exchange of the run.</param>
    /// <param name="from">The run's first day: every exchange starts as having published the day before.</param>
    public ExchangeLockstep(IEnumerable<string> exchangeIds, DateOnly from) =>
        _published = exchangeIds.ToDictionary(id => id, _ => from.AddDays(-1));

    /// <summary>The most days the fastest exchange was ahead of the slowest one still publishing (for tests and progress).</summary>
    public int LargestLeadDays { get; private set; }

    /// <summary>Waits until <paramref name="exchangeId"/> may publish <paramref name="date"/>.</summary>
    public async Task WaitForTurnAsync(string exchangeId, DateOnly date, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task moved;
            lock (_lock)
            {
                var slowest = _published.Where(p => p.Key != exchangeId).Select(p => p.Value).DefaultIfEmpty(DateOnly.MaxValue).Min();
                if (date.DayNumber - slowest.DayNumber <= MaxLeadDays)
                {
                    LargestLeadDays = Math.Max(LargestLeadDays, Math.Max(0, date.DayNumber - slowest.DayNumber));
                    return;
                }
                moved = _moved.Task;
            }
            await moved.WaitAsync(cancellationToken);
        }
    }

    /// <summary><paramref name="exchangeId"/> published <paramref name="date"/>: exchanges waiting on it may go on.</summary>
    public void Published(string exchangeId, DateOnly date) => Move(() => _published[exchangeId] = date);

    /// <summary><paramref name="exchangeId"/> has nothing more to publish: nobody waits for it any more.</summary>
    public void Finished(string exchangeId) => Move(() => _published.Remove(exchangeId));

    private void Move(Action change)
    {
        TaskCompletionSource moved;
        lock (_lock)
        {
            change();
            moved = _moved;
            _moved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        moved.SetResult();
    }
}
