using Mailroom.Core.Connectors;

namespace Mailroom.Core.Storage;

/// <summary>A message the server lists that may already be stored: attached to All Mail under a new local UID if so.</summary>
/// <param name="RemoteId">The API id (hexadecimal X-GM-MSGID).</param>
public sealed record GmailApiKnownMessage(uint Uid, string RemoteId, string IdentityKey, MessageFlags Flags);
