namespace FinNet;

/// <summary>
/// Bad input from the user: a network file, an option value, a store that does not match the run.
/// The message is one line that names what is wrong (file, field, value); the CLI prints it and exits 2.
/// Anything else that is thrown is a bug or a runtime failure and keeps its stack trace.
/// </summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(string message) : base(message) { }

    public InvalidInputException(string message, Exception innerException) : base(message, innerException) { }

    public InvalidInputException() { }
}
