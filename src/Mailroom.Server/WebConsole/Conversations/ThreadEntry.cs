using Mailroom.Server.Api.V1;

namespace Mailroom.Server.WebConsole.Conversations;

/// <summary>A message of the conversation: as the thread lists it, its detail, and the signed link to its safe view.</summary>
internal sealed record ThreadEntry(ThreadMessageJson Message, MessageDetailJson? Detail, string? ViewUrl)
{
    /// <summary>Why the message is in this thread, in words.</summary>
    public string Why => Message.Reason switch
    {
        "root" => "started the thread",
        "reference" => "replies to or references an earlier message (Message-ID, In-Reply-To, References)",
        "providerid" => "the provider's thread id",
        "subject" => "same subject, participants and time window (no usable references)",
        null => "not recorded",
        var other => other,
    };
}
