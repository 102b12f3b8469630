namespace Mailroom.TestSupport.Imap;

/// <summary>One scripted IMAP connection: its exchanges in order, and which side ended it in the recording.</summary>
/// <param name="ServerCloses">
/// True when the server closed the connection (after a BYE it sent on its own, for example): the scripted server
/// then closes it after the last exchange. False when the client ended it: the scripted server waits for the client to
/// close and fails on any further line.
/// </param>
public sealed record ImapScript(IReadOnlyList<ImapExchange> Exchanges, bool ServerCloses = false);
