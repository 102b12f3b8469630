namespace Mailroom.Core.Sending;

/// <summary>The message cannot be sent as asked: each problem names the field and what is wrong with it.</summary>
public sealed class InvalidMessageException : Exception
{
    public InvalidMessageException(IReadOnlyList<string> problems)
        : base("The message cannot be sent: " + string.Join("; ", problems)) => Problems = problems;

    public InvalidMessageException() : this(["invalid message"]) { }

    public InvalidMessageException(string message) : this([message]) { }

    public InvalidMessageException(string message, Exception innerException)
        : base(message, innerException) => Problems = [message];

    public IReadOnlyList<string> Problems { get; }
}
