using System.Text.Json.Serialization;

namespace Mailroom.Core.Threading;

/// <summary>Why a message is in its thread; stored with the message and shown by the API and the CLI.</summary>
public enum ThreadReason
{
    /// <summary>It started the thread: it names no ancestor in it (later messages may refer to it).</summary>
    Root,

    /// <summary>It names ancestors (In-Reply-To, References): a message of the thread, or one another message names.</summary>
    Reference,

    /// <summary>The provider put it in the conversation (Gmail X-GM-THRID, Outlook Thread-Index).</summary>
    [JsonStringEnumMemberName("providerid")]
    ProviderId,

    /// <summary>The subject rule: no references, the same base subject, a shared participant, within the time window.</summary>
    Subject,
}
