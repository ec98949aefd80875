using Spectre.Console;

namespace FinNet.Cli.Output;

/// <summary>Where a command writes: results to <see cref="Out"/> (stdout), errors to <see cref="Error"/> (stderr).</summary>
/// <param name="Interactive">A terminal a person watches: live progress. Otherwise plain lines.</param>
internal sealed record CliConsole(IAnsiConsole Out, TextWriter Error, bool Interactive)
{
    public static CliConsole System => Console.IsOutputRedirected
        ? Plain(Console.Out, Console.Error)
        : new(AnsiConsole.Console, Console.Error, AnsiConsole.Profile.Capabilities.Interactive);

    /// <summary>A plain console over <paramref name="output"/>, for redirected output and tests.</summary>
    public static CliConsole Plain(TextWriter output, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // Redirected output has no terminal width: wide enough that tables never wrap their cells.
        console.Profile.Width = 160;
        return new CliConsole(console, error, Interactive: false);
    }
}
