using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.Server.Api.V1;
using Mailroom.Server.Sending;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Compose;

/// <summary>
/// A new message, a reply (to the sender, or to all), or a forward, with attachments, an HTML body with inline images
/// and a calendar invitation if asked for, queued through
/// <c>POST /v1/send</c>'s own handler (composed, persisted in the outbox, sent by serve's outbox worker). The form
/// carries an idempotency key made when it was shown: sending it twice (a reload, a double click) queues one message.
/// </summary>
internal sealed class ComposeModel(
    OrganizationQueries queries, IAccountStore accounts, MessageLookup lookup, MessageComposer composer, IOutboxStore outbox,
    Mailroom.Core.Sending.OutboxSender sender) : ConsolePageModel
{
    public IReadOnlyList<MailboxJson> Senders { get; private set; } = [];
    public string Mode { get; private set; } = "new";

    [BindProperty]
    public ComposeForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(long? reply, long? forward, bool all, CancellationToken cancellationToken)
    {
        await LoadSendersAsync(cancellationToken);
        Form = new ComposeForm { IdempotencyKey = "console-" + Guid.NewGuid().ToString("N") };
        if ((reply ?? forward) is not { } original)
            return Page();
        if (ConsoleResults.Value<MessageDetailJson>((await MessagesApi.GetAsync(original, User, queries, cancellationToken)).Result) is not { } message)
            return NotFound();
        Form.Mailbox = message.MailboxId;
        if (reply is not null)
        {
            Mode = all ? "reply-all" : "reply";
            Form.ReplyTo = original;
            var own = Senders.Where(s => s.Id == message.MailboxId).Select(s => s.Address ?? s.UserName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var answerTo = message.Addresses.Where(a => a.Role == "reply_to").Select(a => a.Address).ToList() is { Count: > 0 } replyTo
                ? replyTo
                : [.. message.Addresses.Where(a => a.Role == "from").Select(a => a.Address)];
            Form.To = string.Join(", ", answerTo);
            if (all)
                Form.Cc = string.Join(", ", message.Addresses.Where(a => a.Role is "to" or "cc").Select(a => a.Address)
                    .Where(a => !own.Contains(a) && !answerTo.Contains(a, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase));
        }
        else
        {
            Mode = "forward";
            Form.Forward = original;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(List<IFormFile>? attachments, List<IFormFile>? inline, CancellationToken cancellationToken)
    {
        var images = new List<SendAttachment>();
        foreach (var file in inline ?? [])
            images.Add(await InlineImages.ReadAsync(file, cancellationToken));
        var html = string.IsNullOrWhiteSpace(Form.Html) ? null
            : InlineImages.Rewrite(Form.Html, images.Select(i => i.ContentId![..^(InlineImages.Domain.Length + 1)]));
        var request = new SendRequest
        {
            Account = Form.Mailbox?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            To = ComposeForm.List(Form.To),
            Cc = ComposeForm.List(Form.Cc),
            Bcc = ComposeForm.List(Form.Bcc),
            Subject = string.IsNullOrWhiteSpace(Form.Subject) ? null : Form.Subject,
            Text = string.IsNullOrWhiteSpace(Form.Text) && html is not null ? null : Form.Text,
            Html = html,
            Invitation = Invitation(),
            ReplyToMessage = Form.ReplyTo,
            ForwardMessage = Form.Forward,
            IdempotencyKey = Form.IdempotencyKey,
        };
        foreach (var file in attachments ?? [])
        {
            using var content = new MemoryStream();
            await file.CopyToAsync(content, cancellationToken);
            request.Attachments.Add(new SendAttachment
            {
                FileName = Path.GetFileName(file.FileName), ContentType = file.ContentType, ContentBase64 = Convert.ToBase64String(content.ToArray()),
            });
        }
        request.Attachments.AddRange(images);
        var result = (await SendApi.SendAsync(request, Request, User, accounts, lookup, composer, outbox, sender, cancellationToken)).Result;
        if (ConsoleResults.Value<OutboxItem>(result) is { } item)
            return LocalRedirect($"/outbox/{item.Id}");
        await LoadSendersAsync(cancellationToken);
        Mode = Form.ReplyTo is not null ? "reply" : Form.Forward is not null ? "forward" : "new";
        Error = "Not sent: " + ConsoleResults.ProblemText(result) + (attachments is { Count: > 0 } || images.Count > 0 ? " (choose the files again)" : "");
        return Page();
    }

    // An invitation to the To and Cc recipients, organized by the sender, when the form has its summary.
    private SendInvitation? Invitation() => string.IsNullOrWhiteSpace(Form.EventSummary) ? null : new SendInvitation
    {
        Summary = Form.EventSummary.Trim(),
        Start = Form.EventStart,
        End = Form.EventEnd,
        TimeZone = string.IsNullOrWhiteSpace(Form.EventTimeZone) ? null : Form.EventTimeZone.Trim(),
        Location = string.IsNullOrWhiteSpace(Form.EventLocation) ? null : Form.EventLocation.Trim(),
        Description = string.IsNullOrWhiteSpace(Form.EventDescription) ? null : Form.EventDescription,
        Attendees = [.. ComposeForm.List(Form.To), .. ComposeForm.List(Form.Cc)],
    };

    private async Task LoadSendersAsync(CancellationToken cancellationToken)
    {
        var result = (await MailboxesApi.ListAsync(User, queries, cancellationToken, null, 200)).Result;
        Senders = ConsoleResults.Value<Page<MailboxJson>>(result)?.Items.Where(m => m.Smtp is not null).ToList() ?? [];
    }
}
