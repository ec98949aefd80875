using FinNet.Tests.Fixtures;

// One MariaDB server for the whole suite: it starts in about a second, and every test takes its own database.
[assembly: AssemblyFixture(typeof(MariaDbServer))]
