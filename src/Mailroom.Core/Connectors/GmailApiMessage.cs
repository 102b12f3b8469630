namespace Mailroom.Core.Connectors;

/// <summary>A message as users.messages.get format=raw gives it.</summary>
/// <param name="Id">The API id: X-GM-MSGID in hexadecimal.</param>
/// <param name="ThreadId">X-GM-THRID in hexadecimal.</param>
/// <param name="LabelIds">Label ids ("INBOX", "UNREAD", "Label_3").</param>
/// <param name="InternalDate">When Gmail received it.</param>
/// <param name="Raw">The RFC 822 bytes.</param>
public sealed record GmailApiMessage(string Id, string? ThreadId, IReadOnlyList<string> LabelIds, DateTimeOffset? InternalDate, ReadOnlyMemory<byte> Raw);
