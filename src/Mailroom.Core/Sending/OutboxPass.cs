namespace Mailroom.Core.Sending;

/// <summary>What one pass of <see cref="OutboxSender"/> did.</summary>
public sealed record OutboxPass(int Sent, int Retrying, int Failed, int CopiesFiled, int CopyErrors)
{
    public static OutboxPass Empty { get; } = new(0, 0, 0, 0, 0);

    public bool DidAnything => Sent + Retrying + Failed + CopiesFiled + CopyErrors > 0;

    public OutboxPass Add(OutboxPass other) =>
        new(Sent + other.Sent, Retrying + other.Retrying, Failed + other.Failed, CopiesFiled + other.CopiesFiled, CopyErrors + other.CopyErrors);
}
