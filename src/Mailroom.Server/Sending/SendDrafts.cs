using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.Storage.Queries;

namespace Mailroom.Server.Sending;

/// <summary>Turns a <see cref="SendRequest"/> into an <see cref="OutgoingMessage"/> for one account.</summary>
internal static class SendDrafts
{
    public static async Task<OutgoingMessage> BuildAsync(
        SendRequest request, MailboxRecord mailbox, MessageLookup lookup, string baseDirectory, CancellationToken cancellationToken)
    {
        OutgoingAddress from;
        if (request.From is { } given)
            from = SendRequest.ParseAddress(given);
        else if (mailbox.Settings.Address is { } own)
            from = new OutgoingAddress(own);
        else
            throw new InvalidDataException(
                $"account {mailbox.Name} has no address of its own yet (none was given, and no sync has found one in its Sent folder): "
                + "give the From address, or set the account's address (mailroom account address ACCOUNT ADDR)");

        return new OutgoingMessage
        {
            From = from,
            To = [.. request.To.Select(SendRequest.ParseAddress)],
            Cc = [.. request.Cc.Select(SendRequest.ParseAddress)],
            Bcc = [.. request.Bcc.Select(SendRequest.ParseAddress)],
            Subject = request.Subject,
            Text = request.Text,
            Html = request.Html,
            Attachments = await request.ReadAttachmentsAsync(baseDirectory, cancellationToken),
            Invitation = request.Invitation?.ToDraft(from),
            ReplyTo = request.ReplyToMessage is { } r ? await OriginalAsync(lookup, mailbox, r, cancellationToken) : null,
            Forward = request.ForwardMessage is { } f ? await OriginalAsync(lookup, mailbox, f, cancellationToken) : null,
            Headers = [.. request.Headers],
        };
    }

    private static async Task<OriginalMessage> OriginalAsync(MessageLookup lookup, MailboxRecord mailbox, long id, CancellationToken cancellationToken)
    {
        var found = await lookup.GetOriginalAsync(id, cancellationToken);
        if (found is not { } original || original.MailboxId != mailbox.Id)
            throw new InvalidDataException($"no stored message {id} in account {mailbox.Name}");
        return original.Original;
    }
}
