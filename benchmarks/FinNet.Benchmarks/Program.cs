using FinNet.Benchmarks;

// Speed targets are measured here, never asserted in tests. Usage:
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- embedded
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- store-write [STORE|mariadb] [DAYS_PER_BATCH]
// (mariadb: a throwaway MariaDB server started for the benchmark, as the tests start one)
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- analyst [PORTFOLIOS] [DAYS]
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- report-html
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- kafka
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- races [RACES] [mariadb]
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- scale [all|default|a|b]
var what = args.Length > 0 ? args[0] : "embedded";
switch (what)
{
    case "embedded":
        return await EmbeddedRunBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 3);
    case "store-write":
        {
            var location = args.Length > 1 ? args[1] : $"sqlite:{Path.Combine(Path.GetTempPath(), "finnet-bench-store.db")}";
            var daysPerBatch = args.Length > 2 ? int.Parse(args[2]) : 20;
            if (location != "mariadb")
            {
                await StoreWriteBenchmark.RunAsync(location, daysPerBatch);
                return 0;
            }
            // The bulk path, then the upsert path it replaces on a server that refuses LOAD DATA LOCAL INFILE: the
            // baseline in the same run.
            await using (var server = await FinNet.Tests.Fixtures.MariaDbServer.StartAsync())
                await StoreWriteBenchmark.RunAsync(server.Uri("InvestorsDB"), daysPerBatch, "bulk load");
            await using (var server = await FinNet.Tests.Fixtures.MariaDbServer.StartAsync("--local-infile=0"))
                await StoreWriteBenchmark.RunAsync(server.Uri("InvestorsDB"), daysPerBatch, "upserts, local_infile off");
            return 0;
        }
    case "analyst":
        return await AnalystBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1000, args.Length > 2 ? int.Parse(args[2]) : 7000);
    case "report-html":
        return await AnalystBenchmark.HtmlAsync();
    case "kafka":
        return await KafkaBenchmark.RunAsync();
    case "scale":
        return await ScaleBenchmark.RunAsync(args.Length > 1 ? args[1] : "all");
    case "races":
        return await RaceBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 20, args.Contains("mariadb"));
    default:
        Console.Error.WriteLine($"unknown benchmark '{what}' (embedded, store-write, analyst, report-html, kafka, races, scale)");
        return 2;
}
