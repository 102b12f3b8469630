namespace Mailroom.Core.Accounts;

/// <summary>Who puts a copy of sent mail into the Sent folder, as learned (or known) per mailbox.</summary>
public enum SentFiling
{
    /// <summary>Not yet known: after a send, look for the server's copy for a short while, then append one.</summary>
    Unknown = 0,

    /// <summary>The server files sent mail itself (Gmail, Microsoft, or observed): never append a second copy.</summary>
    Server = 1,

    /// <summary>The server does not: append the copy right after sending.</summary>
    Client = 2,
}
