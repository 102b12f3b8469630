using System.CommandLine;
using System.Text.Json;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;
using Mailroom.Server.Sending;
using Mailroom.Storage.Queries;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom send</c>: compose, persist in the outbox, and (with --wait) send now.</summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var account = new Option<string>("--account") { Description = "Account id or name to send from." };
        var from = new Option<string>("--from") { Description = "From address, as ADDR or 'Name <ADDR>' (default: the account's address, see `mailroom account address`)." };
        var to = new Option<string[]>("--to") { Description = "Recipient (repeatable).", AllowMultipleArgumentsPerToken = false };
        var cc = new Option<string[]>("--cc") { Description = "Cc recipient (repeatable)." };
        var bcc = new Option<string[]>("--bcc") { Description = "Bcc recipient (repeatable; never written into the message)." };
        var subject = new Option<string>("--subject") { Description = "Subject (default for replies and forwards: Re:/Fwd: and the original's)." };
        var text = new Option<string>("--text") { Description = "Plain-text body." };
        var html = new Option<FileInfo>("--html") { Description = "HTML body from a file; alone, it gets a generated text part." };
        var attach = new Option<FileInfo[]>("--attach") { Description = "Attach a file (repeatable)." };
        var inline = new Option<string[]>("--inline") { Description = "Inline image as CONTENT-ID=FILE, referred to as cid:CONTENT-ID in the HTML (repeatable)." };
        var header = new Option<string[]>("--header") { Description = "Extra header as 'Name: value' (repeatable)." };
        var replyTo = new Option<long?>("--reply-to-message") { Description = "Stored message id this replies to (In-Reply-To, References, Re:, quoted)." };
        var forward = new Option<long?>("--forward-message") { Description = "Stored message id to forward (References, Fwd:, quoted)." };
        var key = new Option<string>("--idempotency-key") { Description = "The same key never queues a second message for the account." };
        var json = new Option<FileInfo>("--json") { Description = "Read the whole request from a JSON file (the same fields; also 'invitation')." };
        var wait = new Option<bool>("--wait") { Description = "Send now and wait for the outcome (and the Sent copy) instead of leaving it to `serve`." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "With --wait: how long to wait (default 00:05:00).", DefaultValueFactory = _ => TimeSpan.FromMinutes(5) };

        var command = new Command("send", "Queue a message in the outbox (persisted before anything is sent); --wait sends it now.")
        {
            account, from, to, cc, bcc, subject, text, html, attach, inline, header, replyTo, forward, key, json, wait, timeout,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            SendRequest request;
            var baseDirectory = Directory.GetCurrentDirectory();
            try
            {
                if (parseResult.GetValue(json) is { } file)
                {
                    if (!file.Exists)
                        return CliOutput.Error(ExitCodes.NotFound, $"no such file: {file.FullName}");
                    await using var stream = file.OpenRead();
                    request = await JsonSerializer.DeserializeAsync<SendRequest>(stream, CliOutput.JsonOptions, cancellationToken)
                        ?? throw new InvalidDataException("the JSON file holds no request");
                    baseDirectory = file.DirectoryName ?? baseDirectory;
                    request.Account = parseResult.GetValue(account) ?? request.Account;
                    request.IdempotencyKey = parseResult.GetValue(key) ?? request.IdempotencyKey;
                }
                else
                {
                    request = FromOptions(parseResult, account, from, to, cc, bcc, subject, text, html, attach, inline, header, replyTo, forward, key);
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException)
            {
                return CliOutput.Error(ExitCodes.Usage, ex.Message);
            }

            if (request.Account is null)
                return CliOutput.Error(ExitCodes.Usage, "give the account to send from with --account ID.");
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var mailbox = await services.GetRequiredService<IAccountStore>().FindMailboxAsync(request.Account, cancellationToken);
            if (mailbox is null)
                return CliOutput.Error(ExitCodes.NotFound, $"no account '{request.Account}'.");
            // An IMAP or POP3 account needs its SMTP server; an API account (Gmail API, Graph, EWS) sends through its API.
            if (services.GetRequiredService<OutboxSender>().CannotSend(mailbox) is { } cannot)
                return CliOutput.Error(ExitCodes.Misconfigured, $"account {mailbox.Name} cannot send: {cannot}");

            OutgoingMessage draft;
            try
            {
                draft = await SendDrafts.BuildAsync(request, mailbox, services.GetRequiredService<MessageLookup>(), baseDirectory, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException)
            {
                return CliOutput.Error(ex is FileNotFoundException ? ExitCodes.NotFound : ExitCodes.Usage, ex.Message);
            }

            ComposedMessage composed;
            try
            {
                composed = services.GetRequiredService<MessageComposer>().Compose(draft, request.International);
            }
            catch (InvalidMessageException ex)
            {
                foreach (var problem in ex.Problems)
                    CliOutput.Error(ExitCodes.Usage, problem);
                return ExitCodes.Usage;
            }

            var outbox = services.GetRequiredService<IOutboxStore>();
            var (item, created) = await outbox.EnqueueAsync(
                mailbox.Id, request.IdempotencyKey ?? "cli-" + Guid.NewGuid().ToString("N"), composed, cancellationToken);
            Console.Out.WriteLine(created
                ? $"Queued {item.Id} <{item.MessageId}> to {string.Join(", ", item.Recipients)}."
                : $"Already queued as {item.Id} <{item.MessageId}> (idempotency key {item.IdempotencyKey}): {OutboxCommand.Describe(item)}.");
            if (!parseResult.GetValue(wait))
                return ExitCodes.Ok;
            return await WaitAsync(services, item.Id, mailbox.Id, parseResult.GetValue(timeout), cancellationToken);
        });
        return command;
    }

    private static async Task<int> WaitAsync(IServiceProvider services, long id, long mailboxId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sender = services.GetRequiredService<OutboxSender>();
        var outbox = services.GetRequiredService<IOutboxStore>();
        var time = services.GetRequiredService<TimeProvider>();
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            await sender.RunOnceAsync(mailboxId, cancellationToken);
            var item = (await outbox.GetAsync(id, cancellationToken))!;
            var done = item.State == OutboxState.Failed || (item.State == OutboxState.Sent && item.SentCopy is not (SentCopyState.Pending or SentCopyState.Appending));
            if (done || time.GetUtcNow() >= deadline)
            {
                Console.Out.WriteLine($"{item.Id}: {OutboxCommand.Describe(item)}");
                return item.State switch
                {
                    OutboxState.Sent => ExitCodes.Ok,
                    OutboxState.Failed => ExitCodes.Failure,
                    _ => ExitCodes.Unreachable,
                };
            }
            var pause = item.State == OutboxState.Retrying ? item.NextAttemptAt - time.GetUtcNow() : TimeSpan.FromSeconds(1);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(pause.TotalMilliseconds, 100, 1000)), time, cancellationToken);
        }
    }

    private static SendRequest FromOptions(
        ParseResult parseResult, Option<string> account, Option<string> from, Option<string[]> to, Option<string[]> cc, Option<string[]> bcc,
        Option<string> subject, Option<string> text, Option<FileInfo> html, Option<FileInfo[]> attach, Option<string[]> inline,
        Option<string[]> header, Option<long?> replyTo, Option<long?> forward, Option<string> key)
    {
        var request = new SendRequest
        {
            Account = parseResult.GetValue(account),
            From = parseResult.GetValue(from),
            To = [.. parseResult.GetValue(to) ?? []],
            Cc = [.. parseResult.GetValue(cc) ?? []],
            Bcc = [.. parseResult.GetValue(bcc) ?? []],
            Subject = parseResult.GetValue(subject),
            Text = parseResult.GetValue(text),
            ReplyToMessage = parseResult.GetValue(replyTo),
            ForwardMessage = parseResult.GetValue(forward),
            IdempotencyKey = parseResult.GetValue(key),
        };
        if (parseResult.GetValue(html) is { } htmlFile)
        {
            if (!htmlFile.Exists)
                throw new InvalidDataException($"no such HTML file: {htmlFile.FullName}");
            request.Html = File.ReadAllText(htmlFile.FullName);
        }
        foreach (var f in parseResult.GetValue(attach) ?? [])
            request.Attachments.Add(new SendAttachment { Path = f.FullName });
        foreach (var spec in parseResult.GetValue(inline) ?? [])
        {
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new InvalidDataException($"--inline takes CONTENT-ID=FILE (was '{spec}')");
            request.Attachments.Add(new SendAttachment { ContentId = spec[..eq], Path = Path.GetFullPath(spec[(eq + 1)..]) });
        }
        foreach (var h in parseResult.GetValue(header) ?? [])
        {
            var colon = h.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                throw new InvalidDataException($"--header takes 'Name: value' (was '{h}')");
            request.Headers[h[..colon].Trim()] = h[(colon + 1)..].TrimStart();
        }
        return request;
    }
}
