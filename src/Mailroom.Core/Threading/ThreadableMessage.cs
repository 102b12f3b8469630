using Mailroom.Core.Messages;

namespace Mailroom.Core.Threading;

/// <summary>What threading reads of one message.</summary>
/// <param name="Id">The caller's id of the message (the store's row id); unique in the mailbox.</param>
/// <param name="MessageId">The Message-ID without angle brackets, or null.</param>
/// <param name="InReplyTo">The first In-Reply-To id, or null.</param>
/// <param name="References">The References ids in header order.</param>
/// <param name="Subject">The decoded Subject.</param>
/// <param name="Date">The Date header, or null.</param>
/// <param name="Participants">From, To and Cc addresses, normalized (<see cref="Messages.MessageAddress.Normalized"/>).</param>
/// <param name="ProviderThreadId">The provider's conversation id (Gmail X-GM-THRID), or null.</param>
/// <param name="ConversationIndex">Outlook's conversation, from Thread-Index (<see cref="ThreadIndexHeader"/>), or null.</param>
/// <param name="ListId">The List-Id identifier (<see cref="ListIds.Parse"/>), or null: the list's subject tag is not part of the subject key.</param>
/// <param name="Automatic">Sent by a machine (<see cref="AutomaticMail"/>): never joined by subject.</param>
public sealed record ThreadableMessage(
    long Id,
    string? MessageId,
    string? InReplyTo,
    IReadOnlyList<string> References,
    string? Subject,
    DateTimeOffset? Date,
    IReadOnlyList<string> Participants,
    string? ProviderThreadId = null,
    string? ConversationIndex = null,
    string? ListId = null,
    bool Automatic = false)
{
    /// <summary>
    /// The ancestors named by the message, oldest first: References, then In-Reply-To when References does not end
    /// with it (JWZ's rule), without the message's own id (a self-reference is a loop, not a link).
    /// </summary>
    public IReadOnlyList<string> Ancestors()
    {
        if (References.Count == 0 && InReplyTo is null)
            return [];
        var result = new List<string>(References.Count + 1);
        foreach (var id in References)
        {
            if (id != MessageId)
                result.Add(id);
        }

        if (InReplyTo is { } parent && parent != MessageId && (result.Count == 0 || result[^1] != parent))
        {
            result.Remove(parent);
            result.Add(parent);
        }

        return result;
    }

    /// <summary>Whether the message names any ancestor; only messages that name none may join a thread by subject.</summary>
    public bool HasReferences => Ancestors().Count > 0;

    /// <summary>A normalized message as threading reads it.</summary>
    public static ThreadableMessage From(long id, NormalizedMessage message, string? providerThreadId = null) => new(
        id, message.MessageId, message.InReplyTo, message.References, message.Subject, message.Date,
        ParticipantsOf(message), providerThreadId, message.ThreadIndex, message.ListId, IsAutomatic(message));

    /// <summary>Whether a machine sent the message: by its header, its sender (From or Sender) or its subject.</summary>
    public static bool IsAutomatic(NormalizedMessage message) =>
        message.Automatic is not null
        || message.From.Any(a => AutomaticMail.IsSystemSender(a.Address))
        || message.Sender.Any(a => AutomaticMail.IsSystemSender(a.Address))
        || AutomaticMail.IsAutomaticSubject(message.Subject);

    /// <summary>From, To and Cc, normalized, without repeats.</summary>
    public static IReadOnlyList<string> ParticipantsOf(NormalizedMessage message)
    {
        var result = new List<string>(message.From.Count + message.To.Count + message.Cc.Count);
        foreach (var address in message.From.Concat(message.To).Concat(message.Cc))
        {
            var normalized = address.Normalized;
            if (!result.Contains(normalized))
                result.Add(normalized);
        }

        return result;
    }
}
