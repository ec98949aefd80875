using System.Runtime.InteropServices;
using FinNet.Cli;
using FinNet.Cli.Output;

// One cancellation token from Ctrl-C and SIGTERM to every loop: the first signal asks for a clean stop
// (finish the batch, commit, close); the process then exits 130.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

return await FinNetCommandLine.InvokeAsync(args, CliConsole.System, stop.Token);
