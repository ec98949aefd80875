using Microsoft.Extensions.Logging;

namespace FinNet.Cli.Output;

/// <summary>Logging goes to stderr, one line per message, so stdout stays the command's own output.</summary>
internal static class Logging
{
    public static ILoggerFactory Create(LogLevel level) => LoggerFactory.Create(builder => builder.AddFinNetConsole(level));

    /// <summary>FinNet's log lines on stderr at <paramref name="level"/>: also for hosts that build their own logging (the dashboard's web host).</summary>
    public static ILoggingBuilder AddFinNetConsole(this ILoggingBuilder builder, LogLevel level) => builder
        .SetMinimumLevel(level)
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.UseUtcTimestamp = true;
        });
}
