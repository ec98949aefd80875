namespace FinNet.Tests.Cli;

/// <summary>
/// The help text is what users read first: pinned in Expectations/, so every change to it is a reviewed diff.
/// To accept a deliberate change, regenerate with `dotnet artifacts/bin/FinNet.Cli/release/FinNet.Cli.dll [run | report | serve | db init] --help`.
/// </summary>
public class HelpTests
{
    [Theory]
    [InlineData("help.txt", new[] { "--help" })]
    [InlineData("run-help.txt", new[] { "run", "--help" })]
    [InlineData("db-init-help.txt", new[] { "db", "init", "--help" })]
    [InlineData("report-help.txt", new[] { "report", "--help" })]
    [InlineData("serve-help.txt", new[] { "serve", "--help" })]
    public async Task Help_text_matches_the_pinned_expectation(string expectation, string[] args)
    {
        var result = await CliRunner.InvokeAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cli", "Expectations", expectation)), result.Output);
    }

    [Fact]
    public async Task Finnet_alone_shows_the_help()
    {
        var alone = await CliRunner.InvokeAsync();

        Assert.Equal(0, alone.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cli", "Expectations", "help.txt")), alone.Output);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var result = await CliRunner.InvokeAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output);
    }

    [Fact]
    public async Task An_unknown_command_is_bad_usage()
    {
        var result = await CliRunner.InvokeAsync("fly");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("finnet: error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }
}
