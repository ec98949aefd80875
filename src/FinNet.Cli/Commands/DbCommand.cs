using System.CommandLine;
using FinNet.Cli.Output;
using FinNet.Cli.Pipeline;
using FinNet.Network;
using FinNet.Storage;
using Spectre.Console;

namespace FinNet.Cli.Commands;

/// <summary>
/// <c>finnet db init</c>: creates the database, its tables and the network's reference data (investors, portfolios,
/// one NAV series view per portfolio). Idempotent. Never required: every command that writes does the same first.
/// </summary>
internal static class DbCommand
{
    public static Command Create(CliConsole console, CancellationToken stop)
    {
        var store = CommonOptions.Store();
        var network = CommonOptions.Network();
        var init = new Command("init", """
            Create the store's database and tables when missing and write the network's investors and portfolios,
            with one NAV series view per portfolio (Inv1_P11, ...). Safe to run again: it changes nothing that is there.
            """)
        {
            store, network,
        };
        init.SetAction(async (parsed, _) =>
        {
            var loaded = NetworkFile.Load(parsed.GetValue(network));
            using var logging = Logging.Create(parsed.GetValue(CommonOptions.LogLevel));
            await using var opened = Stores.Open(parsed.GetValue(store)!, logging);
            await Stores.PrepareAsync(opened, loaded, RunProvenance.OfNetwork(loaded.Fingerprint), stop);
            var series = string.Join(", ", loaded.Portfolios.Select(StoreSchema.SeriesName));
            console.Out.WriteLine($"{opened.Location}: schema ready; {loaded.Investors.Count} investors, {loaded.Portfolios.Count} portfolios, series {series}");
            return FinNetCommandLine.Success;
        });
        return new Command("db", "Manage a store's database") { init };
    }
}
