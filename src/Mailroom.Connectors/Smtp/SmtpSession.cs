using Mailroom.Core.Connectors;
using Mailroom.Core.Sending;
using MailKit.Net.Smtp;
using MimeKit;

namespace Mailroom.Connectors.Smtp;

/// <summary>One authenticated SMTP connection. Owns its <see cref="SmtpClient"/>.</summary>
internal sealed class SmtpSession(SmtpClient client) : ISmtpSession
{
    public async Task<SmtpOutcome> SendAsync(
        string sender, IReadOnlyList<string> recipients, byte[] raw, bool international, CancellationToken cancellationToken)
    {
        if (international && !client.Capabilities.HasFlag(SmtpCapabilities.UTF8))
            return new SmtpOutcome(SmtpOutcomeKind.Permanent, null, "The server does not offer SMTPUTF8, which this message's UTF-8 headers need.");

        // The stored bytes are parsed and written back with the options they were composed with: MimeKit writes an
        // unmodified parsed message byte for byte, so what the server receives is what the outbox and Sent hold.
        using var stream = new MemoryStream(raw, writable: false);
        // In memory: the synchronous parser, without an async state machine per read.
        using var message = MimeMessage.Load(stream, cancellationToken);
        try
        {
            var reply = await client.SendAsync(
                MessageComposer.WriteOptions(international), message,
                MailboxAddress.Parse(sender), recipients.Select(MailboxAddress.Parse), cancellationToken);
            return SmtpOutcome.Accepted(reply);
        }
        catch (SmtpCommandException ex)
        {
            // A reply to MAIL, RCPT or DATA: the server's verdict on this message; the connection stays usable.
            return SmtpOutcome.FromReply((int)ex.StatusCode, $"{(int)ex.StatusCode} {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw SmtpErrors.Classify(ex, "SMTP submission");
        }
    }

    public ValueTask DisposeAsync() => MailServices.CloseAsync(client);
}
