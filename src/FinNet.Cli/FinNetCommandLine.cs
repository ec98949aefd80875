using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using FinNet.Cli.Commands;
using FinNet.Cli.Output;

namespace FinNet.Cli;

/// <summary>
/// The command table and the one top-level error handler. Exit codes: 0 success, 1 runtime failure,
/// 2 bad usage or bad input (one line on stderr), 130 interrupted; every command's --help lists them.
/// </summary>
internal static class FinNetCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;

    /// <summary>The exit codes as every command's <c>--help</c> lists them.</summary>
    public const string ExitCodes = "Exit codes: 0 success; 1 failure at run time (a server out of reach, a bug); 2 bad usage or input (one line on stderr); 130 interrupted (Ctrl-C, SIGTERM).";

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
        var help = new HelpOption();
        help.Action = new HelpWithExitCodes((HelpAction)help.Action!);
        root.Options.Add(help);
        root.Options.Add(new VersionOption());
        root.Options.Add(CommonOptions.LogLevel);
        root.Subcommands.Add(RunCommand.Create(console, stop));
        root.Subcommands.Add(ExchangeCommand.Create(console, stop));
        root.Subcommands.Add(InvestorCommand.Create(console, stop));
        root.Subcommands.Add(RecorderCommand.Create(console, stop));
        root.Subcommands.Add(ReportCommand.Create(console, stop));
        root.Subcommands.Add(ServeCommand.Create(console, stop));
        root.Subcommands.Add(DbCommand.Create(console, stop));
        root.Subcommands.Add(NetworkCommand.Create(console));
        root.Subcommands.Add(DevKafkaCommand.Create(console, stop));
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, CliConsole console, CancellationToken stop)
    {
        var root = Build(console, stop);
        // `finnet` alone: show what there is to run.
        var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (args.Length > 0 && !args[0].StartsWith('-') && root.Subcommands.All(c => c.Name != args[0]))
        {
            await console.Error.WriteLineAsync(
                $"finnet: error: unknown command '{args[0]}' (commands: {string.Join(", ", root.Subcommands.Select(c => c.Name))}; see 'finnet --help')");
            return BadInput;
        }
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
            // Not the user's input: a bug or a runtime failure (disk full, database gone). One line by default;
            // the whole trace at --log-level debug, where it helps whoever fixes it.
            if (parsed.GetValue(CommonOptions.LogLevel) <= Microsoft.Extensions.Logging.LogLevel.Debug)
            {
                await console.Error.WriteLineAsync($"finnet: failed: {e}");
            }
            else
            {
                var message = string.Join(' ', e.Message.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
                await console.Error.WriteLineAsync($"finnet: failed: {message}{Origin(e)}; rerun with --log-level debug for details");
            }
            return Failure;
        }
    }

    /// <summary>Where in FinNet an unexpected failure surfaced (its innermost FinNet method), so one line says where to look.</summary>
    private static string Origin(Exception e)
    {
        var method = new System.Diagnostics.StackTrace(e).GetFrames().Select(f => f.GetMethod())
            .FirstOrDefault(m => m?.DeclaringType?.Namespace?.StartsWith("FinNet", StringComparison.Ordinal) == true);
        if (method?.DeclaringType is not { } type)
            return "";
        var name = method.Name;
        // Async methods and lambdas run in compiler-made nested types (<RunAsync>d__5.MoveNext): name the method they came from.
        if (type.Name.StartsWith('<') && type.DeclaringType is { } outer)
            (type, name) = (outer, type.Name.IndexOf('>') is > 1 and var end ? type.Name[1..end] : name);
        if (name.StartsWith('<') && name.IndexOf('>') is > 1 and var close)
            name = name[1..close];
        return $" (in {type.Name}.{name})";
    }

    /// <summary>The usual help of any command, then the exit codes.</summary>
    private sealed class HelpWithExitCodes(HelpAction help) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes);
            parseResult.InvocationConfiguration.Output.WriteLine();
            return code;
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
