namespace Mailroom.Core.Storage;

/// <summary>A message's membership in a Gmail label folder, keyed by the message's UID in All Mail.</summary>
public readonly record struct GmailLabelMembership(long LabelFolderId, uint Uid);
