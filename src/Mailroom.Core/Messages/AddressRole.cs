namespace Mailroom.Core.Messages;

/// <summary>The header an address appeared in.</summary>
public enum AddressRole
{
    From = 0,
    Sender = 1,
    ReplyTo = 2,
    To = 3,
    Cc = 4,
    Bcc = 5,
}
