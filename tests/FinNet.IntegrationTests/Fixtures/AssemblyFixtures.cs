using FinNet.Tests.Fixtures;

// One MariaDB server for the whole suite: it starts in about a second, and every test takes its own database.
[assembly: AssemblyFixture(typeof(SharedMariaDb))]

namespace FinNet.Tests.Fixtures;

/// <summary>The suite's MariaDB server, started once before the first test that asks for it and stopped after the last.</summary>
public sealed class SharedMariaDb : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    public async ValueTask InitializeAsync() => _server = await MariaDbServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
