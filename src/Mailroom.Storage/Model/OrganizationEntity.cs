namespace Mailroom.Storage.Model;

/// <summary>A tenant: API keys, mailboxes and contacts belong to one organization.</summary>
internal sealed class OrganizationEntity
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Match contacts by provider alias rules too (Gmail dots, <c>+tags</c>); off by default.</summary>
    public bool MatchAddressAliases { get; set; }
}
