using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;

namespace FinNet.Tests.Fixtures;

/// <summary>
/// A real MariaDB server (Debian's mariadb-server) as an ordinary child process: a fresh data directory from
/// <c>mariadb-install-db</c>, <c>mariadbd</c> on a free loopback port, deleted at the end. One serves the whole
/// assembly (each test takes its own database); a test that restarts the server starts one of its own. The
/// benchmarks use it too, so it does not depend on the test framework.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    public const string User = "finnet";
    public const string Password = "finnet-test-pw";
    private static int _databases;

    private readonly TempDirectory _directory = new();
    private Process? _process;

    public int Port { get; private set; }

    private string DataDirectory => _directory.File("data");

    /// <summary>The CPU time the server process has used so far (for a benchmark's account of where time went).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process!.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    private readonly string[] _options;

    private MariaDbServer(string[] options) => _options = options;

    /// <summary>Installs and starts a server of its own; <paramref name="options"/> are added to mariadbd's command line.</summary>
    public static async Task<MariaDbServer> StartAsync(params string[] options)
    {
        var server = new MariaDbServer(options);
        try
        {
            await server.InitializeAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    private async Task InitializeAsync()
    {
        var install = await RunToEndAsync(Find("mariadb-install-db"),
            ["--no-defaults", $"--datadir={DataDirectory}", "--auth-root-authentication-method=normal", "--skip-test-db", .. RunAs()]);
        if (install.ExitCode != 0)
            throw new InvalidOperationException($"mariadb-install-db failed ({install.ExitCode}):\n{install.Output}");
        Port = FreePort();
        await StartProcessAsync();
        await using var root = new MySqlConnection(RootConnectionString);
        await root.OpenAsync();
        await using var command = new MySqlCommand($"""
            CREATE USER '{User}'@'127.0.0.1' IDENTIFIED BY '{Password}';
            GRANT ALL PRIVILEGES ON *.* TO '{User}'@'127.0.0.1';
            """, root);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A database name no other test uses (the store creates it).</summary>
    public static string NewDatabaseName() => "t" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture) + "x" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The <c>--store</c> value for <paramref name="database"/>, password included.</summary>
    public string Uri(string database) => $"mysql://{User}:{Password}@127.0.0.1:{Port}/{database}";

    /// <summary>How FinNet names <paramref name="database"/> in messages: the URI without its password.</summary>
    public string Display(string database) => $"mysql://{User}@127.0.0.1:{Port}/{database}";

    public string RootConnectionString => $"Server=127.0.0.1;Port={Port};User ID=root;Password=;Pooling=false";

    /// <summary>Reads <paramref name="database"/> from outside FinNet: every cell as invariant text (dates yyyy-MM-dd), NULL as null.</summary>
    public List<string?[]> Query(string database, string sql)
    {
        using var connection = new MySqlConnection(RootConnectionString + $";Database={database}");
        connection.Open();
        using var command = new MySqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i) switch
            {
                DateTime date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                var value => Convert.ToString(value, CultureInfo.InvariantCulture),
            }).ToArray());
        }
        return rows;
    }

    /// <summary>Runs statements as root (e.g. to kill FinNet's connections).</summary>
    public async Task ExecuteAsRootAsync(string sql)
    {
        await using var root = new MySqlConnection(RootConnectionString);
        await root.OpenAsync();
        await using var command = new MySqlCommand(sql, root);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Kills the server (SIGKILL, a crash) and starts it again on the same data and port.</summary>
    public async Task CrashAndRestartAsync(Func<Task>? whileDown = null)
    {
        _process!.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        if (whileDown is not null)
            await whileDown();
        await StartProcessAsync();
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process?.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(Find("mariadbd")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])[
            "--no-defaults", $"--datadir={DataDirectory}", $"--socket={_directory.File("mysqld.sock")}", $"--port={Port}",
            "--bind-address=127.0.0.1", $"--pid-file={_directory.File("mysqld.pid")}", "--skip-log-bin", "--skip-name-resolve",
            "--innodb-buffer-pool-size=128M", "--innodb-log-file-size=64M", .. RunAs(), .. _options])
        {
            info.ArgumentList.Add(arg);
        }
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
                return;
            lock (log)
                log.AppendLine(line.Data);
            // The server says when it accepts connections: wait for that line rather than polling.
            if (line.Data.Contains("ready for connections", StringComparison.Ordinal))
                ready.TrySetResult();
        };
        process.Exited += (_, _) =>
        {
            lock (log)
                ready.TrySetException(new InvalidOperationException($"mariadbd exited ({process.ExitCode}) before it was ready:\n{log}"));
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(1));
    }

    /// <summary>mariadbd refuses to run as root unless told which user to be.</summary>
    private static string[] RunAs() => Environment.UserName == "root" ? ["--user=root"] : [];

    private static string Find(string program)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin", "/sbin"]);
        return directories.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"{program} not found: the MySQL tests need Debian's mariadb-server package (./test installs it when run as root; otherwise: sudo apt-get install mariadb-server)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
