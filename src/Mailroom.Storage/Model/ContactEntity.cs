namespace Mailroom.Storage.Model;

/// <summary>A contact of an organization: the application's applicant, known by its external id.</summary>
internal sealed class ContactEntity
{
    public long Id { get; set; }
    public long OrganizationId { get; set; }
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
