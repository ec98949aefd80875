using FinNet.Benchmarks;

// Speed targets are measured here, never asserted in tests. Usage:
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- embedded
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- store-write [STORE|mariadb] [DAYS_PER_BATCH]
// (mariadb: a throwaway MariaDB server started for the benchmark, as the tests start one)
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- analyst [PORTFOLIOS] [DAYS]
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- analytics [PORTFOLIOS] [DAYS]
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- serve [all|default|latency|size]
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- report-html
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- kafka
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- races [RACES] [mariadb]
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- scale [all|default|a|b]
//   dotnet run -c Release --project benchmarks/FinNet.Benchmarks -- stops [ROUNDS]
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
            // The bulk path, the upsert path it replaces (on a server that refuses LOAD DATA LOCAL INFILE) and a
            // bare MySqlBulkCopy of the same batches: the baselines in the same run. Each is run once before it is
            // timed (JIT, a cold server), then they are timed by turns.
            await using var bulk = await FinNet.Tests.Fixtures.MariaDbServer.StartAsync();
            await using var upserts = await FinNet.Tests.Fixtures.MariaDbServer.StartAsync("--local-infile=0");
            for (var round = 0; round < 3; round++)
            {
                var warmUp = round == 0 ? ", warm-up" : "";
                await StoreWriteBenchmark.RunAsync(bulk.Uri("InvestorsDB"), daysPerBatch, "bulk load" + warmUp);
                await StoreWriteBenchmark.RunAsync(upserts.Uri("InvestorsDB"), daysPerBatch, "upserts, local_infile off" + warmUp);
                await StoreWriteBenchmark.BareBulkCopyAsync(bulk.Uri("Bare"), bulk.RootConnectionString + ";Database=Bare;AllowLoadLocalInfile=true", daysPerBatch, round == 0 ? "warm-up" : null);
            }
            return 0;
        }
    case "analyst":
        return await AnalystBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 1000, args.Length > 2 ? int.Parse(args[2]) : 7000);
    case "analytics":
        return AnalyticsBenchmark.Run(args.Length > 1 ? int.Parse(args[1]) : 200, args.Length > 2 ? int.Parse(args[2]) : 7000);
    case "serve":
        return await ServeBenchmark.RunAsync(args.Length > 1 ? args[1] : "all");
    case "report-html":
        return await AnalystBenchmark.HtmlAsync();
    case "kafka":
        return await KafkaBenchmark.RunAsync(args.Length > 1 ? args[1] : "all");
    case "scale":
        return await ScaleBenchmark.RunAsync(args.Length > 1 ? args[1] : "all");
    case "stops":
        return await StopsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 200);
    case "races":
        return await RaceBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 20, args.Contains("mariadb"));
    default:
        Console.Error.WriteLine($"unknown benchmark '{what}' (embedded, store-write, analyst, analytics, serve, report-html, kafka, races, scale, stops)");
        return 2;
}
