namespace Mailroom.Core.Connectors;

/// <summary>Graph's well-known folder names that Mailroom asks for: the roles, and the folders it skips.</summary>
public static class GraphWellKnownFolders
{
    public const string Inbox = "inbox", SentItems = "sentitems", Drafts = "drafts", Archive = "archive",
        DeletedItems = "deleteditems", JunkEmail = "junkemail";

    public static IReadOnlyList<string> All { get; } = [Inbox, SentItems, Drafts, Archive, DeletedItems, JunkEmail];
}
