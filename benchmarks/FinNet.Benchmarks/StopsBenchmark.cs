using System.Diagnostics;
using System.Globalization;
using FinNet.Messaging.Kafka;

namespace FinNet.Benchmarks;

/// <summary>
/// A probe for a rare fault, not a speed: investors (<c>./finnet investor InvN</c>) on the mock cluster, stopped with
/// SIGTERM after a random 0.3-3 s (seeded), many times; every stop must exit 0. CI once saw one abort on its way out
/// (exit 134, glibc's "double free or corruption" after the "stopped" line), once in about 4,500 stops here; this
/// prints the stderr of any stop that does not exit 0, to catch it with its context.
/// </summary>
internal static class StopsBenchmark
{
    private static readonly string[] Investors = ["Inv1", "Inv2", "Inv3"];

    public static async Task<int> RunAsync(int rounds)
    {
        using var cluster = MockKafkaCluster.StartWithTopics(brokers: 3, KafkaSettings.DefaultPartitions);
        // A year of prices for the investors to value and re-read at each start.
        foreach (var exchange in new[] { "SE1", "SE2" })
        {
            var (exit, _) = await EmbeddedRunBenchmark.RunCliAsync("exchange", exchange, "--kafka", cluster.BootstrapServers, "--from", "2000-01-01", "--to", "2000-12-31");
            if (exit != 0)
                throw new InvalidOperationException($"exchange {exchange} exited {exit}");
        }

        var random = new Random(2026);
        var (stops, failures, clock) = (0, 0, Stopwatch.StartNew());
        for (var round = 1; round <= rounds; round++)
        {
            var investors = Investors.Select(id => EmbeddedRunBenchmark.StartCliKeepingErrors("investor", id, "--kafka", cluster.BootstrapServers)).ToList();
            await Task.Delay(TimeSpan.FromSeconds(0.3 + (random.NextDouble() * 2.7)));
            foreach (var investor in investors)
            {
                using var kill = Process.Start("kill", ["-TERM", investor.Process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
            foreach (var investor in investors)
            {
                var process = investor.Process;
                await process.WaitForExitAsync();
                stops++;
                if (process.ExitCode != 0)
                {
                    failures++;
                    Console.WriteLine($"round {round}: '{string.Join(' ', process.StartInfo.ArgumentList)}' exited {process.ExitCode}; its stderr:\n{investor.ErrorText}");
                }
                process.Dispose();
            }
            if (round % 25 == 0)
                Console.WriteLine($"{round} rounds: {stops} stops, {failures} not exiting 0 ({clock.Elapsed.TotalSeconds:0} s)");
        }
        Console.WriteLine($"stops: {stops} investors stopped with SIGTERM, {failures} not exiting 0");
        return failures == 0 ? 0 : 1;
    }
}
