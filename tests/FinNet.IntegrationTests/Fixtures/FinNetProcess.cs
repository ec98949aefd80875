using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FinNet.Tests.Fixtures;

/// <summary>The real CLI as a child process (the FinNet.Cli.dll built beside the tests), to kill and restart.</summary>
public sealed partial class FinNetProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _error = new();
    private readonly System.Text.StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FinNetProcess(Process process) => _process = process;

    /// <summary>The command line's arguments, to name the process in a failure.</summary>
    public string Arguments => string.Join(' ', _process.StartInfo.ArgumentList.Skip(1));

    /// <summary>What the process wrote to stdout so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>What the process wrote to stderr so far (logs and errors).</summary>
    public string Error
    {
        get
        {
            lock (_error)
                return _error.ToString();
        }
    }

    public static FinNetProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FinNet.Cli.dll"));
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info };
        var started = new FinNetProcess(process);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
                lock (started._error)
                    started._error.AppendLine(line.Data);
        };
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
                return;
            lock (started._output)
                started._output.AppendLine(line.Data);
            started._firstLine.TrySetResult(line.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The first line the process writes to stdout (waited for, up to a minute).</summary>
    public Task<string> FirstOutputLineAsync() => _firstLine.Task.WaitAsync(TimeSpan.FromMinutes(1));

    /// <summary>SIGKILL: the process dies wherever it is, as in a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: the polite stop a service manager sends.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, 15) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed");
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds (checked every few milliseconds), failing if the process
    /// ends first: how a test waits for a run to be visibly under way before interrupting it.
    /// </summary>
    /// <remarks>
    /// The timeout is a safety net for a hung test, not a measure: generous, because CI runs the suites' classes in
    /// parallel on two cores beside browsers, MariaDB and other service processes.
    /// </remarks>
    /// <param name="detail">What else to say if the wait times out (counts seen, other processes' output).</param>
    public async Task WaitUntilAsync(Func<bool> condition, string what, Func<string>? detail = null)
    {
        var limit = TimeSpan.FromMinutes(3);
        using var timeout = new CancellationTokenSource(limit);
        while (!condition())
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the process ended (exit {_process.ExitCode}) before {what}:\n{Error}");
            try
            {
                await Task.Delay(5, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not within {limit.TotalMinutes:0} minutes: {what}; {detail?.Invoke()}\nthe process's stderr:\n{Error}");
            }
        }
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>
    /// Waits for every process to end and fails, naming each one that exited non-zero with the end of its stderr,
    /// unless all exited 0: an exit code alone (134 is an abort) says nothing of why.
    /// </summary>
    public static async Task AssertExitedCleanlyAsync(params IEnumerable<FinNetProcess> processes)
    {
        var failed = new List<string>();
        foreach (var process in processes)
        {
            var exit = await process.WaitForExitAsync();
            if (exit != 0)
                failed.Add($"'{process.Arguments}' exited {exit}; the end of its stderr:\n{string.Join('\n', process.Error.Split('\n').TakeLast(40))}");
        }
        if (failed.Count > 0)
            Assert.Fail(string.Join("\n", failed));
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
