using FinNet.Cli.Pipeline;
using FinNet.Storage;
using FinNet.Storage.MySql;
using MySqlConnector;

namespace FinNet.Tests.Cli;

/// <summary>How <c>--store</c> values are read, and that a password never survives into anything printable.</summary>
public class StoresTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void A_mysql_uri_names_user_password_host_port_and_database()
    {
        var address = MySqlAddress.Parse("mysql://ana:p%40ss%3Bword@db.example:3307/Trading", NoEnvironment);
        var settings = new MySqlConnectionStringBuilder(address.ConnectionString);

        Assert.Equal(("ana", "p@ss;word", "db.example", 3307u, "Trading"), (settings.UserID, settings.Password, settings.Server, settings.Port, settings.Database));
        Assert.Equal("mysql://ana@db.example:3307/Trading", address.Display);
    }

    [Fact]
    public void The_database_defaults_to_InvestorsDB_the_port_to_3306_and_the_password_to_the_environment()
    {
        var address = MySqlAddress.Parse("mysql://ana@localhost", name => name == "FINNET_MYSQL_PASSWORD" ? "from-env" : null);
        var settings = new MySqlConnectionStringBuilder(address.ConnectionString);

        Assert.Equal(("from-env", 3306u, "InvestorsDB"), (settings.Password, settings.Port, settings.Database));
        Assert.Equal("mysql://ana@localhost:3306/InvestorsDB", address.Display);
    }

    [Fact]
    public void Query_parameters_and_plain_connection_strings_are_MySqlConnector_settings()
    {
        var uri = new MySqlConnectionStringBuilder(MySqlAddress.Parse("mysql://ana:x@h/db?ConnectionTimeout=3&SslMode=None", NoEnvironment).ConnectionString);
        var plain = MySqlAddress.Parse("mysql:Server=h;User ID=ana;Password=x;Database=Other", NoEnvironment);

        Assert.Equal((3u, MySqlSslMode.None), (uri.ConnectionTimeout, uri.SslMode));
        Assert.Equal("mysql://ana@h:3306/Other", plain.Display);
    }

    [Theory]
    [InlineData("mysql://ana:hunter2@h/bad-name", "--store mysql://ana:***@h/bad-name: database name 'bad-name' is not a plain identifier (letters and digits, at most one '_')")]
    [InlineData("mysql://h/db", "--store mysql://h/db: no user named (use mysql://USER:PASSWORD@HOST:PORT/DATABASE)")]
    [InlineData("mysql://ana:hunter2@h/db?Colour=blue", "--store mysql://ana:***@h/db?Colour=blue: unknown or invalid connection setting 'Colour=blue'")]
    [InlineData("mysql:Server=h;Password=hunter2;Colour=blue", "--store mysql:Server=h;Password=***;Colour=blue: not a valid MySQL connection string (Option 'colour' not supported)")]
    public void Bad_mysql_locations_are_named_without_their_password(string location, string message)
    {
        var error = Assert.Throws<InvalidInputException>(() => MySqlAddress.Parse(location, NoEnvironment));

        Assert.Equal(message, error.Message);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://ana:hunter2@h:1/db", "mysql://ana:***@h:1/db")]
    [InlineData("mysql:server=h;pwd=hunter2;user=ana", "mysql:server=h;pwd=***;user=ana")]
    [InlineData("mysql:Password = hunter2", "mysql:Password = ***")]
    [InlineData("sqlite:finnet.db", "sqlite:finnet.db")]
    public void Redact_hides_every_spelling_of_a_password(string location, string printable) =>
        Assert.Equal(printable, StoreLocation.Redact(location));

    [Fact]
    public void An_unknown_scheme_is_bad_input()
    {
        var error = Assert.Throws<InvalidInputException>(() => Stores.Open("postgres://ana:hunter2@h/db"));

        Assert.Equal("--store: unknown store 'postgres://ana:***@h/db' (use sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/DATABASE)", error.Message);
    }
}
