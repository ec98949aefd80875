using System.CommandLine;
using FinNet.Cli.Output;
using FinNet.Network;

namespace FinNet.Cli.Commands;

/// <summary><c>finnet network generate</c>: a valid network file of any size, to try FinNet at scale.</summary>
internal static class NetworkCommand
{
    public static Command Create(CliConsole console)
    {
        Option<int> Count(string name, int fallback, string description) => new($"--{name}")
        {
            Description = $"{description} (1..{NetworkGenerator.Caps[name]:N0})",
            DefaultValueFactory = _ => fallback,
            HelpName = "n",
        };
        var exchanges = Count("exchanges", 2, "Exchanges, SE1..");
        var stocks = Count("stocks", 200, "Stocks in all, spread evenly over the exchanges; tickers S0001..");
        var investors = Count("investors", 20, "Investors, Inv1..");
        var portfolios = Count("portfolios", 200, "Portfolios in all, spread evenly over the investors; P1..");
        var holdings = Count("holdings", 25, "Distinct stocks per portfolio, drawn across all exchanges");
        var seed = CommonOptions.Seed();
        seed.Description = "Seed: the same options give the same file";
        var output = new Option<string?>("--out") { Description = "Write the network file here [default: stdout]", HelpName = "file" };

        var generate = new Command("generate", "Write a valid network file of the size asked, deterministic for a seed (try it with: finnet run --network FILE)")
        {
            exchanges, stocks, investors, portfolios, holdings, seed, output,
        };
        generate.SetAction(async (parsed, token) =>
        {
            var bytes = NetworkGenerator.Generate(
                parsed.GetValue(exchanges), parsed.GetValue(stocks), parsed.GetValue(investors), parsed.GetValue(portfolios), parsed.GetValue(holdings), parsed.GetValue(seed));
            if (parsed.GetValue(output) is { } file)
            {
                try
                {
                    await File.WriteAllBytesAsync(file, bytes, token);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new InvalidInputException($"--out {file}: cannot write it ({e.Message.TrimEnd('.')})", e);
                }
                await console.Error.WriteLineAsync($"finnet network generate: wrote {file} ({bytes.Length:N0} bytes)");
            }
            else
            {
                await console.Out.Profile.Out.Writer.WriteAsync(System.Text.Encoding.UTF8.GetString(bytes));
            }
            return FinNetCommandLine.Success;
        });
        return new Command("network", "Work with network files") { generate };
    }
}
