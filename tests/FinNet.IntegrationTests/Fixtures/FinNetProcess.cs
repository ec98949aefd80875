using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FinNet.Tests.Fixtures;

/// <summary>The real CLI as a child process (the FinNet.Cli.dll built beside the tests), to kill and restart.</summary>
public sealed partial class FinNetProcess : IDisposable
{
    private readonly Process _process;

    private FinNetProcess(Process process) => _process = process;

    public static FinNetProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FinNet.Cli.dll"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new FinNetProcess(process);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: the process dies wherever it is, as in a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: the polite stop a service manager sends.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, 15) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed");
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
