namespace FinNet.Analyst;

/// <summary>
/// Mean and central moments of a stream of values, updated in O(1) per value (Welford's update extended to the third
/// and fourth moments, after Terriberry): numerically as stable as the two-pass forms, without keeping the values.
/// </summary>
internal sealed class RunningMoments
{
    public int Count { get; private set; }

    public double Mean { get; private set; }

    /// <summary>Σ (x - mean)², Σ (x - mean)³, Σ (x - mean)⁴ over the values so far.</summary>
    public double M2 { get; private set; }

    public double M3 { get; private set; }

    public double M4 { get; private set; }

    public void Add(double value)
    {
        var previous = Count;
        var n = (double)(Count = previous + 1);
        var delta = value - Mean;
        var deltaN = delta / n;
        var deltaN2 = deltaN * deltaN;
        var term = delta * deltaN * previous;
        Mean += deltaN;
        M4 += (term * deltaN2 * ((n * n) - (3 * n) + 3)) + (6 * deltaN2 * M2) - (4 * deltaN * M3);
        M3 += (term * deltaN * (n - 2)) - (3 * deltaN * M2);
        M2 += term;
    }

    /// <summary>Sample (n - 1) standard deviation; 0 for fewer than two values (callers check the count first).</summary>
    public double SampleStd => Count < 2 ? 0 : Math.Sqrt(M2 / (Count - 1));
}

/// <summary>Running co-moment Σ (x - mean_x)(y - mean_y) of paired values, O(1) per pair (the covariance's Welford form).</summary>
internal sealed class RunningCoMoment
{
    private readonly RunningMoments _x = new(), _y = new();

    public double Sum { get; private set; }

    public RunningMoments X => _x;

    public RunningMoments Y => _y;

    public void Add(double x, double y)
    {
        var deltaX = x - _x.Mean;
        _x.Add(x);
        _y.Add(y);
        Sum += deltaX * (y - _y.Mean);
    }
}

/// <summary>
/// The type-7 quantile at probability p of a growing set of values (docs/metrics.md, "Notation"), and the sum of the
/// values at or below its lower order statistic, kept exactly as values arrive: a max-heap holds the
/// ⌊(n - 1) p⌋ + 1 smallest values and a min-heap the rest, so both order statistics the quantile interpolates
/// between are heap tops. O(log n) per value, amortised; every value is kept (an exact quantile needs them all).
/// </summary>
internal sealed class RunningQuantile(double probability, int capacity = 0)
{
    private readonly MinHeap _lower = new(), _upper = new(); // the lower heap holds negated values: its top is the largest
    private double _lowerSum, _lowerCompensation; // Neumaier: values leave the sum as well as enter it

    // Values not yet in the heaps: they are placed when the quantile is asked for. A whole series read once (the batch
    // report) is then sorted once and split, instead of pushed value by value; live, each read places what came since.
    private readonly List<double> _arrived = new(capacity);

    public int Count => _lower.Count + _upper.Count + _arrived.Count;

    /// <summary>How many of the smallest values the lower heap holds: the rank below the quantile's position, plus one.</summary>
    public int LowerCount
    {
        get
        {
            Place();
            return _lower.Count;
        }
    }

    /// <summary>The sum of the <see cref="LowerCount"/> smallest values.</summary>
    public double LowerSum
    {
        get
        {
            Place();
            return _lowerSum + _lowerCompensation;
        }
    }

    public void Add(double value) => _arrived.Add(value);

    /// <summary>The quantile: linear between the order statistics at ⌊(n - 1) p⌋ and the next; NaN with no values.</summary>
    public double Value
    {
        get
        {
            Place();
            if (Count == 0)
                return double.NaN;
            var position = (Count - 1) * probability;
            var below = (int)Math.Floor(position);
            var low = -_lower.Top;
            return _upper.Count > 0 ? low + ((position - below) * (_upper.Top - low)) : low;
        }
    }

    private void Place()
    {
        if (_arrived.Count == 0)
            return;
        if (_lower.Count + _upper.Count == 0)
        {
            // Sorted ascending, the values above the rank are already a min-heap; those at or below it, negated from
            // the largest down, are one too.
            _arrived.Sort();
            var lower = (int)Math.Floor((_arrived.Count - 1) * probability) + 1;
            _lower.Reserve(lower);
            _upper.Reserve(_arrived.Count - lower);
            for (var i = lower - 1; i >= 0; i--)
            {
                _lower.Append(-_arrived[i]);
                AddToLowerSum(_arrived[i]);
            }
            for (var i = lower; i < _arrived.Count; i++)
                _upper.Append(_arrived[i]);
        }
        else
        {
            foreach (var value in _arrived)
                Insert(value);
        }
        _arrived.Clear();
        // A whole history placed at once leaves a buffer as long as the history: give it back (live, reads place a few at a time).
        if (_arrived.Capacity > 1024)
            _arrived.Capacity = 0;
    }

    private void Insert(double value)
    {
        if (_lower.Count > 0 && value < -_lower.Top)
        {
            _lower.Push(-value);
            AddToLowerSum(value);
        }
        else
        {
            _upper.Push(value);
        }
        var target = (int)Math.Floor((_lower.Count + _upper.Count - 1) * probability) + 1;
        while (_lower.Count > target)
        {
            var moved = -_lower.Pop();
            AddToLowerSum(-moved);
            _upper.Push(moved);
        }
        while (_lower.Count < target)
        {
            var moved = _upper.Pop();
            _lower.Push(-moved);
            AddToLowerSum(moved);
        }
    }

    private void AddToLowerSum(double value)
    {
        var sum = _lowerSum + value;
        _lowerCompensation += Math.Abs(_lowerSum) >= Math.Abs(value) ? (_lowerSum - sum) + value : (value - sum) + _lowerSum;
        _lowerSum = sum;
    }

    /// <summary>A binary min-heap of doubles in one array: 8 bytes a value (PriorityQueue keeps an element and a priority, 16).</summary>
    private sealed class MinHeap
    {
        private double[] _items = new double[16];

        public int Count { get; private set; }

        public double Top => _items[0];

        public void Reserve(int count)
        {
            if (_items.Length < count)
                Array.Resize(ref _items, count);
        }

        /// <summary>Adds a value not less than any already held (so the heap stays a heap without sifting).</summary>
        public void Append(double value)
        {
            if (Count == _items.Length)
                Array.Resize(ref _items, _items.Length * 2);
            _items[Count++] = value;
        }

        public void Push(double value)
        {
            if (Count == _items.Length)
                Array.Resize(ref _items, _items.Length * 2);
            var i = Count++;
            while (i > 0)
            {
                var parent = (i - 1) / 2;
                if (_items[parent] <= value)
                    break;
                _items[i] = _items[parent];
                i = parent;
            }
            _items[i] = value;
        }

        public double Pop()
        {
            var top = _items[0];
            var last = _items[--Count];
            var i = 0;
            while (true)
            {
                var child = (2 * i) + 1;
                if (child >= Count)
                    break;
                if (child + 1 < Count && _items[child + 1] < _items[child])
                    child++;
                if (_items[child] >= last)
                    break;
                _items[i] = _items[child];
                i = child;
            }
            if (Count > 0)
                _items[i] = last;
            return top;
        }
    }
}
