namespace Mailroom.Core.Sending;

/// <summary>What became of one claimed row after a try: the state it ends in and the server's answer.</summary>
/// <param name="State"><see cref="OutboxState.Sent"/>, <see cref="OutboxState.Retrying"/> or <see cref="OutboxState.Failed"/>.</param>
/// <param name="Code">The SMTP reply code, or null when no server answered.</param>
/// <param name="At">When the outcome was known (the sent time of a sent row).</param>
/// <param name="RetryAt">When a retrying row is due again.</param>
public sealed record SendResult(ClaimedItem Claim, OutboxState State, int? Code, string Reply, DateTimeOffset At, DateTimeOffset RetryAt)
{
    public static SendResult Sent(ClaimedItem claim, string reply, DateTimeOffset at) =>
        new(claim, OutboxState.Sent, 250, reply, at, at);

    public static SendResult Failed(ClaimedItem claim, int? code, string reply, DateTimeOffset at) =>
        new(claim, OutboxState.Failed, code, reply, at, at);

    public static SendResult Retrying(ClaimedItem claim, int? code, string reply, DateTimeOffset at, DateTimeOffset retryAt) =>
        new(claim, OutboxState.Retrying, code, reply, at, retryAt);
}
