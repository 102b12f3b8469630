using Mailroom.Core.Connectors;
using MailKit.Net.Pop3;

namespace Mailroom.Connectors.Pop3;

/// <summary>Classifies MailKit POP3 failures once, at the connector boundary (the same kinds as IMAP's).</summary>
internal static class Pop3Errors
{
    public static ConnectorException Classify(Exception ex, string during) => ex switch
    {
        Pop3CommandException pce =>
            new(ConnectorErrorKind.CommandFailed, $"Server refused a command during {during}: {ex.Message} {pce.StatusText}".TrimEnd(), ex),
        _ => MailServices.Classify(ex, during),
    };
}
