using Mailroom.Core.Connectors;
using MailKit.Net.Smtp;

namespace Mailroom.Connectors.Smtp;

/// <summary>Classifies MailKit SMTP failures that are not a reply to a message (those become an SmtpOutcome).</summary>
internal static class SmtpErrors
{
    public static ConnectorException Classify(Exception ex, string during) => ex switch
    {
        SmtpCommandException command when (int)command.StatusCode is >= 500 =>
            new(ConnectorErrorKind.Misconfigured, $"Server refused during {during}: {(int)command.StatusCode} {ex.Message}", ex),
        SmtpCommandException command =>
            new(ConnectorErrorKind.Transient, $"Server deferred during {during}: {(int)command.StatusCode} {ex.Message}", ex),
        _ => MailServices.Classify(ex, during),
    };
}
