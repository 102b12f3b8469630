using System.CommandLine;
using System.Globalization;
using Mailroom.Core.Sending;
using Mailroom.Core.Storage;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom outbox [ACCOUNT]</c>: what was queued and where each message stands.</summary>
internal static class OutboxCommand
{
    public static Command Create()
    {
        var account = new Argument<string?>("ACCOUNT") { Description = "Only this account (id or name).", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { Description = "Newest N messages (default 50).", DefaultValueFactory = _ => 50 };
        var json = CliOptions.Json;
        var command = new Command("outbox", "List queued, sending, sent, retrying and failed messages, newest first.") { account, limit, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            long? mailboxId = null;
            if (parseResult.GetValue(account) is { } name)
            {
                var mailbox = await services.GetRequiredService<IAccountStore>().FindMailboxAsync(name, cancellationToken);
                if (mailbox is null)
                    return CliOutput.Error(ExitCodes.NotFound, $"no account '{name}'.");
                mailboxId = mailbox.Id;
            }
            var items = await services.GetRequiredService<IOutboxStore>().ListAsync(mailboxId, Math.Clamp(parseResult.GetValue(limit), 1, 10_000), cancellationToken);
            if (parseResult.GetValue(json))
            {
                CliOutput.WriteJson(items);
                return ExitCodes.Ok;
            }
            if (items.Count == 0)
                Console.Out.WriteLine("The outbox is empty.");
            foreach (var i in items)
            {
                var created = i.CreatedAt.ToString("u", CultureInfo.InvariantCulture);
                Console.Out.WriteLine($"{i.Id,5}  {created}  account {i.MailboxId}  to {string.Join(", ", i.Recipients)}  \"{i.Subject}\"");
                Console.Out.WriteLine($"       {Describe(i)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Describe(OutboxItem i)
    {
        var state = EnumWords.Of(i.State);
        var reply = i.LastReply is null ? "" : $": {i.LastReply}";
        return i.State switch
        {
            OutboxState.Sent => $"sent {i.SentAt?.ToString("u", CultureInfo.InvariantCulture)} after {i.Attempts} attempt(s){reply}; Sent copy {CopyState(i.SentCopy)}{(i.SentCopyError is null ? "" : " (" + i.SentCopyError + ")")}",
            OutboxState.Retrying => $"retrying at {i.NextAttemptAt.ToString("u", CultureInfo.InvariantCulture)} after {i.Attempts} attempt(s){reply}",
            OutboxState.Failed => $"failed after {i.Attempts} attempt(s){reply}",
            _ => $"{state}, {i.Attempts} attempt(s){reply}",
        };
    }

    private static string CopyState(SentCopyState state) => state switch
    {
        SentCopyState.Pending or SentCopyState.Appending => "pending",
        SentCopyState.FiledByServer => "filed by the server",
        SentCopyState.Appended => "appended",
        SentCopyState.ProviderFiles => "filed by the provider",
        _ => "not filed (no Sent folder)",
    };
}
