using FinNet.Benchmarks;

// Speed targets are measured here, never asserted in tests. Usage:
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- embedded
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- store-write [STORE] [DAYS_PER_BATCH]
var what = args.Length > 0 ? args[0] : "embedded";
switch (what)
{
    case "embedded":
        return await EmbeddedRunBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 3);
    case "store-write":
        await StoreWriteBenchmark.RunAsync(args.Length > 1 ? args[1] : $"sqlite:{Path.Combine(Path.GetTempPath(), "finnet-bench-store.db")}", args.Length > 2 ? int.Parse(args[2]) : 20);
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{what}' (embedded, store-write)");
        return 2;
}
