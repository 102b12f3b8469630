namespace Mailroom.TestSupport.Graph;

/// <summary>A folder of <see cref="FakeGraphMailbox"/>; <see cref="WellKnownName"/> is only an alias in URLs, as in Graph v1.0.</summary>
public sealed class FakeGraphFolder(string id, string displayName, string? parentId, string? wellKnownName)
{
    public string Id { get; } = id;
    public string DisplayName { get; set; } = displayName;
    public string? ParentId { get; set; } = parentId;
    public string? WellKnownName { get; } = wellKnownName;
}
