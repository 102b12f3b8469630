namespace Mailroom.Core.Storage;

/// <summary>A new UIDL whose headers gave an identity: attached to the stored message of that identity, if there is one.</summary>
/// <param name="Uid">The local UID assigned to the membership.</param>
/// <param name="RemoteId">The UIDL.</param>
/// <param name="IdentityKey">The identity computed from the headers (see <see cref="Identity.MessageIdentity"/>).</param>
public sealed record Pop3KnownMessage(uint Uid, string RemoteId, string IdentityKey);
