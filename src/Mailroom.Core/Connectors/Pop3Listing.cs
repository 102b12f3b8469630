namespace Mailroom.Core.Connectors;

/// <summary>One message of a POP3 maildrop as UIDL and LIST report it (RFC 1939 §5, §7).</summary>
/// <param name="Index">The message's 0-based position in this session only; it changes between sessions.</param>
/// <param name="Uidl">The server's unique id for the message, stable across sessions.</param>
/// <param name="Size">The size in octets the server reported.</param>
public sealed record Pop3Listing(int Index, string Uidl, long Size);
