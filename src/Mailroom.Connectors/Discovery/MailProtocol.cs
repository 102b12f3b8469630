namespace Mailroom.Connectors.Discovery;

/// <summary>The protocols discovery looks for: two ways to read mail, one to send it.</summary>
public enum MailProtocol
{
    Imap,
    Pop3,
    Smtp,
}
