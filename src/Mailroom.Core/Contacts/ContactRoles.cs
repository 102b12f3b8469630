namespace Mailroom.Core.Contacts;

/// <summary>The headers in which a message names a contact; a message may name one contact in several.</summary>
[Flags]
#pragma warning disable CA1714 // the enum is a set of roles; its name is the plural on purpose.
public enum ContactRoles
#pragma warning restore CA1714
{
    None = 0,
    From = 1,
    ReplyTo = 2,
    To = 4,
    Cc = 8,
}
