using Mailroom.Core.Sync;
using Mailroom.IntegrationTests.Infrastructure;

namespace Mailroom.IntegrationTests.Faults;

/// <summary>Tests that stop the shared Dovecot: they run alone, after every parallel test class.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ServerFaultCollection;

[Collection(typeof(ServerFaultCollection))]
public sealed class ServerRestartTests
{
    private const string User = "mr5";

    [Fact]
    public async Task Dovecot_restarted_while_idling_the_worker_reconnects_and_catches_up()
    {
        await ImapLoader.ResetInboxAsync(User, 3);
        await using var host = await MailroomTestHost.StartAsync(Database.Sqlite);
        var mailbox = await host.AddDovecotAccountAsync(User);

        var reconnects = 0;
        var worker = host.NewWorker(mailbox,
            new MailboxWorkerOptions { ReconnectInitial = TimeSpan.FromMilliseconds(50), ReconnectCap = TimeSpan.FromMilliseconds(500), PollInterval = TimeSpan.FromMinutes(30) },
            reportState: (state, error) =>
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {state} {error}");
                if (state == MailboxWorkerState.Reconnecting)
                    Interlocked.Increment(ref reconnects);
                return Task.CompletedTask;
            });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = worker.RunAsync(stop.Token);
        await host.WaitForInboxAsync(mailbox.Id, 3, TimeSpan.FromSeconds(60));
        await Task.Delay(500, TestContext.Current.CancellationToken); // into IDLE

        await RunScriptAsync("restart-dovecot");
        await RetryAsync(() => ImapLoader.AppendAsync(User, "INBOX", Enumerable.Range(3, 2).Select(n => TestMessages.Numbered(n))));
        await host.WaitForInboxAsync(mailbox.Id, 5, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(reconnects >= 1, "the worker never saw the restart");
        await StoreAssert.MatchesServerAsync(host.Messages, mailbox.Id, await ServerSnapshot.ReadAsync(User, User + "pass", ["INBOX"]));
    }

    private static async Task RetryAsync(Func<Task> action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(250, TestContext.Current.CancellationToken);
            }
        }
    }

    private static async Task RunScriptAsync(string command)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Doveadm.RepoRoot(), "scripts", "test-env.sh"));
        start.ArgumentList.Add(command);
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"test-env.sh {command}: {await error}");
    }
}
