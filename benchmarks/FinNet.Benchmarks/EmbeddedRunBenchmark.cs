using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FinNet.Benchmarks;

/// <summary>
/// The full default history (2000-01-01..2026-11-24) run embedded into a fresh SQLite store, as a user runs it:
/// a new process each time, start-up, writes and reports included. Prints wall time, messages per second and the
/// process's peak memory (getrusage of the waited child: ru_maxrss).
/// </summary>
internal static partial class EmbeddedRunBenchmark
{
    private const int Messages = 164_688 + 41_172; // prices + NAVs of the full default history

    public static async Task<int> RunAsync(int repetitions)
    {
        var work = Directory.CreateTempSubdirectory("finnet-bench-");
        try
        {
            for (var i = 1; i <= repetitions; i++)
            {
                var db = Path.Combine(work.FullName, $"run{i}.db");
                var (exit, seconds) = await RunCliAsync("run", "--from", "2000-01-01", "--to", "2026-11-24", "--store", "sqlite:" + db, "--reports", Path.Combine(work.FullName, $"reports{i}"));
                if (exit != 0)
                {
                    Console.Error.WriteLine($"run {i} failed with exit code {exit}");
                    return 1;
                }
                Console.WriteLine($"embedded full history, run {i}: {seconds:0.00} s wall, {Messages / seconds:N0} messages/s, peak memory so far {PeakChildMemoryMegabytes():0} MB");
            }
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs the CLI (<see cref="CliStartInfo"/>) as a new process; returns its exit code and wall time.</summary>
    public static async Task<(int ExitCode, double Seconds)> RunCliAsync(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var process = StartCli(args);
        await process.WaitForExitAsync();
        return (process.ExitCode, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The CLI as a user types it, with <paramref name="args"/>, its output redirected: the repository's ./finnet
    /// (its ReadyToRun build; the script execs the CLI, so the process's id is the CLI's). The first call builds it
    /// when the sources changed, so that no measured start waits for a build.
    /// </summary>
    public static ProcessStartInfo CliStartInfo(params string[] args)
    {
        var info = new ProcessStartInfo(Finnet.Value) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        return info;
    }

    private static readonly Lazy<string> Finnet = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, "finnet");
            if (!File.Exists(script) || !File.Exists(Path.Combine(folder.FullName, "FinNet.slnx")))
                continue;
            using var build = Process.Start(script, ["--version"]);
            build.WaitForExit();
            return build.ExitCode == 0 ? script : throw new InvalidOperationException($"./finnet --version failed ({build.ExitCode})");
        }
        throw new InvalidOperationException("the benchmark runs from the repository's artifacts/: ./finnet not found above " + AppContext.BaseDirectory);
    });

    /// <summary>Starts the CLI as a new process, its output read and dropped (so it never blocks on a full pipe).</summary>
    public static Process StartCli(params string[] args)
    {
        var process = Process.Start(CliStartInfo(args))!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A CLI process whose stderr (its log, and the first thing to read when it goes wrong) is kept.</summary>
    public sealed record CliProcess(Process Process, System.Text.StringBuilder Error)
    {
        /// <summary>What it wrote to stderr so far.</summary>
        public string ErrorText
        {
            get
            {
                lock (Error)
                    return Error.ToString();
            }
        }
    }

    /// <summary>Starts the CLI as a new process, its stderr kept (<see cref="CliProcess"/>) and its stdout read and dropped.</summary>
    public static CliProcess StartCliKeepingErrors(params string[] args)
    {
        var error = new System.Text.StringBuilder();
        var process = new Process { StartInfo = CliStartInfo(args) };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
                lock (error)
                    error.AppendLine(line.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new CliProcess(process, error);
    }

    /// <summary>The largest resident set of any waited-for child so far (Linux reports ru_maxrss in KiB).</summary>
    public static double PeakChildMemoryMegabytes()
    {
        var usage = new RUsage();
        return GetResourceUsage(-1 /* RUSAGE_CHILDREN */, ref usage) == 0 ? usage.MaxResidentKilobytes / 1024.0 : double.NaN;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxResidentKilobytes;
        public long Ixrss, Idrss, Isrss, Minflt, Majflt, Nswap, Inblock, Oublock, Msgsnd, Msgrcv, Nsignals, Nvcsw, Nivcsw;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetResourceUsage(int who, ref RUsage usage);
}
