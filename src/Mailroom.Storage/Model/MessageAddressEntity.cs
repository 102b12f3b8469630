using Mailroom.Core.Messages;

namespace Mailroom.Storage.Model;

internal sealed class MessageAddressEntity
{
    public long MessageId { get; set; }

    /// <summary>The position among all the message's addresses, in the order of <see cref="NormalizedMessage.AllAddresses"/>.</summary>
    public int Position { get; set; }

    public AddressRole Role { get; set; }
    public string? Name { get; set; }
    public required string Address { get; set; }

    /// <summary>Lower-case, Unicode domain: what contact matching looks up.</summary>
    public required string AddressNormalized { get; set; }

    /// <summary>
    /// <see cref="Core.Contacts.ContactAddresses.AliasKey"/> of the normalized address: what contact matching looks up
    /// when the organization matches provider aliases.
    /// </summary>
    public required string AddressKey { get; set; }
}
