namespace Mailroom.Core.Sending;

/// <summary>
/// A message ready to go: the exact bytes that are submitted over SMTP, kept in the outbox and appended to Sent, so
/// the copy that sync brings back is this message byte for byte.
/// </summary>
/// <param name="MessageId">The Message-ID, without angle brackets.</param>
/// <param name="Sender">The envelope sender (MAIL FROM): the From address.</param>
/// <param name="Recipients">Every envelope recipient (To, Cc and Bcc), each once.</param>
/// <param name="International">Headers are UTF-8 (RFC 6532), so the submission needs SMTPUTF8.</param>
public sealed record ComposedMessage(
    string MessageId,
    byte[] Raw,
    string Sender,
    IReadOnlyList<string> Recipients,
    string Subject,
    bool International);
