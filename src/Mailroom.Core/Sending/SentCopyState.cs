namespace Mailroom.Core.Sending;

/// <summary>What happened about the Sent-folder copy of a sent message.</summary>
public enum SentCopyState
{
    /// <summary>Not sent yet, or sent and the copy still to be looked for or appended.</summary>
    Pending = 0,

    /// <summary>The server filed its own copy (found in Sent by Message-ID); none was appended.</summary>
    FiledByServer = 1,

    /// <summary>Mailroom appended the copy with \Seen.</summary>
    Appended = 2,

    /// <summary>The provider files sent mail itself (Gmail, Microsoft): nothing to do.</summary>
    ProviderFiles = 3,

    /// <summary>The mailbox has no Sent folder to file into (POP3, or none found).</summary>
    NoSentFolder = 4,

    /// <summary>
    /// An APPEND of the copy was started and its outcome not yet recorded. Still to be done: a process that died here
    /// may or may not have left a copy, so Sent is searched for it before it is appended again.
    /// </summary>
    Appending = 5,
}
