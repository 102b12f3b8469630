namespace Mailroom.Core.Connectors;

/// <summary>A message's UID and flags in the open folder, without its content.</summary>
/// <param name="Keywords">User keywords ($Forwarded, $Junk, custom), sorted.</param>
public sealed record RemoteMessageState(uint Uid, MessageFlags Flags, IReadOnlyList<string> Keywords);
