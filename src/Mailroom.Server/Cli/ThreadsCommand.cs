using System.CommandLine;
using System.Globalization;
using Mailroom.Core.Storage;
using Mailroom.Storage.Queries;

namespace Mailroom.Server.Cli;

/// <summary><c>mailroom threads [ACCOUNT] [--thread ID] [--limit N]</c>: an account's conversations, or one with its messages.</summary>
internal static class ThreadsCommand
{
    public static Command Create()
    {
        var account = new Argument<string?>("ACCOUNT") { Description = "Account id or name; all accounts when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var thread = new Option<long?>("--thread") { Description = "Show this thread's messages, with why each is in it and its folders." };
        var limit = new Option<int>("--limit") { Description = "Threads listed per account, most recent first.", DefaultValueFactory = _ => 50 };
        var json = CliOptions.Json;
        var command = new Command("threads", "List conversations (most recent first), or show one with --thread ID.") { account, thread, limit, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await CommandServices.CreateAsync(parseResult, cancellationToken);
            var inspector = services.GetRequiredService<StoreInspector>();
            var asJson = parseResult.GetValue(json);

            if (parseResult.GetValue(thread) is { } threadId)
            {
                var view = await inspector.GetThreadAsync(threadId, cancellationToken);
                if (view is null)
                    return CliOutput.Error(ExitCodes.NotFound, $"No thread {threadId}.");
                var messages = await inspector.ListThreadMessagesAsync(threadId, cancellationToken);
                if (asJson)
                {
                    CliOutput.WriteJson(new { thread = view, messages });
                    return ExitCodes.Ok;
                }

                Console.Out.WriteLine($"thread {view.Id}: {view.Subject} ({view.MessageCount} messages)");
                foreach (var m in messages)
                {
                    Console.Out.WriteLine(
                        $"  {Date(m.Date)}  {(m.Reason is { } reason ? EnumWords.Of(reason) : "-"),-10} {m.From}  {m.Subject}  [{string.Join(", ", m.Folders)}]");
                }

                return ExitCodes.Ok;
            }

            var targets = await AccountTargets.ResolveAsync(services.GetRequiredService<IAccountStore>(), parseResult.GetValue(account), cancellationToken);
            if (targets is null)
                return ExitCodes.NotFound;
            var result = new List<object>();
            foreach (var mailbox in targets)
            {
                var threads = await inspector.ListThreadsAsync(mailbox.Id, parseResult.GetValue(limit), cancellationToken);
                result.Add(new { account = mailbox.Name, accountId = mailbox.Id, threads });
                if (asJson)
                    continue;
                Console.Out.WriteLine($"{mailbox.Id} {mailbox.Name}:");
                foreach (var t in threads)
                    Console.Out.WriteLine($"  {t.Id,8}  {Date(t.LastDate)}  {t.MessageCount,4}  {t.Subject}");
            }

            if (asJson)
                CliOutput.WriteJson(result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Date(DateTimeOffset? value) =>
        value is { } d ? d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "                ";
}
