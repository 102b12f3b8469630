namespace Mailroom.Storage.Model;

/// <summary>An API key of an organization. Only the SHA-256 of the key is stored, and a short prefix to recognise it by.</summary>
internal sealed class ApiKeyEntity
{
    public long Id { get; set; }
    public long OrganizationId { get; set; }
    public required string Name { get; set; }

    /// <summary>The first characters of the key (<c>mr_</c> and 8 more), shown in lists; not enough to use it.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key, lower-case hex.</summary>
    public required string Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
