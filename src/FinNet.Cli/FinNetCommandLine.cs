using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using FinNet.Cli.Commands;
using FinNet.Cli.Output;

namespace FinNet.Cli;

/// <summary>
/// The command table and the one top-level error handler. Exit codes: 0 success, 1 runtime failure,
/// 2 bad usage or bad input (one line on stderr), 130 interrupted.
/// </summary>
internal static class FinNetCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;

    /// <summary>
    /// The root command. Named <c>finnet</c> explicitly: the library is the assembly FinNet, and assembly names
    /// compare without case, so the executable's assembly is FinNet.Cli and the <c>./finnet</c> script runs it.
    /// </summary>
    public static Command Build(CliConsole console, CancellationToken stop)
    {
        var root = new Command("finnet", """
            FinNet: a distributed financial investment service network.
            Exchanges publish daily closing prices, investors value their portfolios (NAV) as prices arrive, a
            recorder stores prices and NAVs, and an analyst writes per-portfolio reports.
            """);
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(CommonOptions.LogLevel);
        root.Subcommands.Add(RunCommand.Create(console, stop));
        root.Subcommands.Add(ExchangeCommand.Create(console, stop));
        root.Subcommands.Add(InvestorCommand.Create(console, stop));
        root.Subcommands.Add(RecorderCommand.Create(console, stop));
        root.Subcommands.Add(ReportCommand.Create(console, stop));
        root.Subcommands.Add(DbCommand.Create(console, stop));
        root.Subcommands.Add(DevKafkaCommand.Create(console, stop));
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, CliConsole console, CancellationToken stop)
    {
        var root = Build(console, stop);
        // `finnet` alone: show what there is to run.
        var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parsed.Errors.Count > 0 && parsed.Action is ParseErrorAction)
        {
            var command = string.Join(' ', parsed.CommandResult.Command == root ? ["finnet"] : ["finnet", parsed.CommandResult.Command.Name]);
            var message = string.Join(' ', parsed.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            await console.Error.WriteLineAsync($"finnet: error: {message} (see '{command} --help')");
            return BadInput;
        }
        try
        {
            return await parsed.InvokeAsync(Configuration(console), stop);
        }
        catch (InvalidInputException e)
        {
            await console.Error.WriteLineAsync($"finnet: error: {e.Message}");
            return BadInput;
        }
        catch (ServiceUnavailableException e)
        {
            // A server out of reach is not a bug: one line naming it is what the user needs, not a stack trace.
            await console.Error.WriteLineAsync($"finnet: failed: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("finnet: interrupted; the store is consistent and the next run resumes where this one stopped");
            return Interrupted;
        }
        catch (Exception e)
        {
            // Not the user's input: a bug or a runtime failure (disk full, database gone). Keep the whole trace.
            await console.Error.WriteLineAsync($"finnet: failed: {e}");
            return Failure;
        }
    }

    private static InvocationConfiguration Configuration(CliConsole console) => new()
    {
        // Program.cs owns Ctrl-C and SIGTERM; exceptions reach the handler above (unexpected ones keep their trace).
        ProcessTerminationTimeout = null,
        EnableDefaultExceptionHandler = false,
        Output = console.Out.Profile.Out.Writer,
        Error = console.Error,
    };
}
