namespace Mailroom.Storage.Model;

/// <summary>
/// One address of a contact, in the forms matching compares: <see cref="AddressNormalized"/> with
/// <c>message_addresses.address_normalized</c>, <see cref="AddressKey"/> with <c>message_addresses.address_key</c> when the
/// organization matches provider aliases. The organization is repeated here so that ingest finds the contacts of a
/// batch's addresses with one index look-up each.
/// </summary>
internal sealed class ContactAddressEntity
{
    public long ContactId { get; set; }
    public long OrganizationId { get; set; }
    public required string AddressNormalized { get; set; }
    public required string AddressKey { get; set; }
}
