using Mailroom.Core.Contacts;

namespace Mailroom.Server.Cli;

/// <summary>A contact as the CLI prints it in JSON.</summary>
internal sealed record ContactView(string ExternalId, string Name, IReadOnlyList<string> Addresses, int Messages, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ContactView From(Contact c) => new(c.ExternalId, c.Name, c.Addresses, c.MessageCount, c.CreatedAt, c.UpdatedAt);
}
