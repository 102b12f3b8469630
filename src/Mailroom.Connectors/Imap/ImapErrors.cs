using Mailroom.Core.Connectors;
using MailKit;
using MailKit.Net.Imap;

namespace Mailroom.Connectors.Imap;

/// <summary>Classifies MailKit IMAP failures once, at the connector boundary.</summary>
internal static class ImapErrors
{
    public static ConnectorException Classify(Exception ex, string during) => ex switch
    {
        ImapCommandException =>
            new(ConnectorErrorKind.CommandFailed, $"Server refused a command during {during}: {ex.Message}", ex),
        FolderNotFoundException =>
            new(ConnectorErrorKind.CommandFailed, $"Folder not found during {during}: {ex.Message}", ex),
        _ => MailServices.Classify(ex, during),
    };
}
