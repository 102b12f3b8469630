namespace Mailroom.IntegrationTests.Discovery;

/// <summary>The discovery tests measure time: they run one after another, not against each other.</summary>
[CollectionDefinition(Name)]
public sealed class DiscoveryCollection
{
    public const string Name = "Discovery";
}
