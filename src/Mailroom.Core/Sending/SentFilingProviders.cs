namespace Mailroom.Core.Sending;

/// <summary>Providers known to file submitted mail into Sent themselves: a copy appended there would be a second one.</summary>
public static class SentFilingProviders
{
    private static readonly string[] Domains =
    [
        "gmail.com", "googlemail.com",                                   // Gmail files every submission under \Sent
        "office365.com", "outlook.com", "hotmail.com", "live.com",      // Microsoft 365 / Outlook.com (saveToSentItems)
    ];

    /// <summary>Protocols whose send call files the message in Sent (the Gmail API's users.messages.send, Graph's sendMail, EWS's CreateItem with SendAndSaveCopy).</summary>
    public static bool FilesSentMail(Accounts.MailboxProtocol protocol) => protocol is Accounts.MailboxProtocol.GmailApi or Accounts.MailboxProtocol.Graph or Accounts.MailboxProtocol.Ews;

    public static bool FilesSentMail(string host)
    {
        var h = host.TrimEnd('.').ToLowerInvariant();
        return Domains.Any(d => h == d || h.EndsWith("." + d, StringComparison.Ordinal));
    }
}
