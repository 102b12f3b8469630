namespace Mailroom.Console.Tests;

/// <summary>One serve and one browser for every console test; the tests of the collection run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleServer>, ICollectionFixture<ConsoleBrowser>
{
    public const string Name = "console";
}
