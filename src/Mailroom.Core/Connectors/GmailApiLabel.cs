namespace Mailroom.Core.Connectors;

/// <summary>A Gmail label: its id ("INBOX", "Label_12"), its name, and whether Gmail made it (type system).</summary>
public sealed record GmailApiLabel(string Id, string Name, bool IsSystem);
