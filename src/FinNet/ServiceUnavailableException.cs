namespace FinNet;

/// <summary>
/// A server FinNet needs could not be reached within its bounded wait (a database down at start, or gone for longer
/// than the retries allow). The message is one line naming the server (never a password) and how long FinNet
/// tried; the CLI prints it and exits 1. Nothing was written that a rerun would not repeat identically.
/// </summary>
public sealed class ServiceUnavailableException : Exception
{
    public ServiceUnavailableException(string message) : base(message) { }

    public ServiceUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    public ServiceUnavailableException() { }
}
