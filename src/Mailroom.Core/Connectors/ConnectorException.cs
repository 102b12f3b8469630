namespace Mailroom.Core.Connectors;

/// <summary>A classified connector failure; the original exception is kept as the inner exception.</summary>
public sealed class ConnectorException : Exception
{
    public ConnectorException(ConnectorErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    public ConnectorException() : this(ConnectorErrorKind.Transient, "Connector failure.") { }

    public ConnectorException(string message) : this(ConnectorErrorKind.Transient, message) { }

    public ConnectorException(string message, Exception innerException)
        : this(ConnectorErrorKind.Transient, message, innerException) { }

    public ConnectorErrorKind Kind { get; }
}
