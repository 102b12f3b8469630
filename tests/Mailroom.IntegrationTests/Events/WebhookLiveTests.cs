using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mailroom.Core.Accounts;
using Mailroom.Core.Events;
using Mailroom.Core.Storage;
using Mailroom.IntegrationTests.Infrastructure;
using Mailroom.Server.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.IntegrationTests.Events;

/// <summary>
/// Webhooks end to end: mail delivered through Postfix into Dovecot, synced by <c>mailroom serve</c> (IDLE), posted to
/// a receiver on 127.0.0.1 with a valid signature; and a receiver that is down gets its deliveries once it is back.
/// </summary>
public sealed class WebhookLiveTests : IDisposable
{
    private const string Secret = "whsec_live_test_secret_0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("mailroom-webhooks-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> ServeSettings() => new()
    {
        ["MAILROOM__Worker__PollInterval"] = "00:30:00",
        ["MAILROOM__Webhooks__AllowedNetworks__0"] = "127.0.0.1/32",
        ["MAILROOM__Webhooks__Timeout"] = "00:00:02",
        ["MAILROOM__Webhooks__RetryInitial"] = "00:00:00.500",
        ["MAILROOM__Webhooks__RetryCap"] = "00:00:02",
    };

    /// <summary>An account for <paramref name="user"/> and a webhook of its organization, in the data folder <c>serve</c> will use.</summary>
    private async Task<(MailroomTestHost Host, long Organization, WebhookSubscription Subscription)> PrepareAsync(string user, int receiverPort)
    {
        var host = await MailroomTestHost.StartAsync(Database.Sqlite, dataPath: _data);
        var mailbox = await host.AddDovecotAccountAsync(user);
        var protector = host.Services.GetRequiredService<ISecretProtector>();
        var subscription = await host.Services.GetRequiredService<IWebhookStore>().AddSubscriptionAsync(
            mailbox.OrganizationId, new Uri($"http://127.0.0.1:{receiverPort}/hook"), protector.Protect(SecretPurposes.WebhookSecret, Secret),
            [EventTypes.MessageCreated], Ct);
        return (host, mailbox.OrganizationId, subscription);
    }

    private static JsonElement Verified((IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At) request)
    {
        Assert.True(WebhookSignature.Verify(Secret, request.Headers[WebhookSignature.Header], request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)),
            "the signature does not verify");
        return JsonDocument.Parse(request.Body).RootElement;
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe, TimeSpan timeout, string what, MailroomProcess serve) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
                return found;
            Assert.False(serve.HasExited, "mailroom serve exited");
            await Task.Delay(20, Ct);
        }
        Assert.Fail($"{what} did not happen within {timeout.TotalSeconds} s");
        return null!;
    }

    [Fact]
    public async Task Mail_delivered_through_postfix_is_a_signed_webhook_within_two_seconds()
    {
        LiveServers.RequireDovecot();
        const string user = "mr17";
        await Doveadm.ResetUserAsync(user);
        await Doveadm.SaveAsync(user, "INBOX", TestMessages.Numbered(1, $"{user}@mailroom.test"));
        var port = FreePort();
        await using var receiver = await LiveReceiver.StartAsync(port);
        var (host, _, _) = await PrepareAsync(user, port);
        await using var _ = host;

        using var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", $"http://127.0.0.1:{FreePort()}"], environment: ServeSettings());
        // The first sync's message arrives as a webhook too: then IDLE is (about to be) running.
        var first = await WaitForAsync(() => receiver.Received.FirstOrDefault() is { Body: not null } r ? r.Body : null, TimeSpan.FromSeconds(60), "the first webhook", serve);
        Assert.Equal("Plain message 1", JsonDocument.Parse(first).RootElement.GetProperty("data").GetProperty("subject").GetString());
        await Task.Delay(1000, Ct);

        var clock = Stopwatch.StartNew();
        DateTimeOffset sentAt;
        using (var smtp = new MailKit.Net.Smtp.SmtpClient())
        {
            await smtp.ConnectAsync(LiveServers.Host, LiveServers.SmtpPort, MailKit.Security.SecureSocketOptions.None, Ct);
            await smtp.SendAsync(MimeKit.MimeMessage.Load(new MemoryStream(TestMessages.Numbered(2, $"{user}@mailroom.test")), Ct),
                MimeKit.MailboxAddress.Parse("sender@example.org"), [MimeKit.MailboxAddress.Parse($"{user}@mailroom.test")], Ct);
            sentAt = DateTimeOffset.UtcNow;
            await smtp.DisconnectAsync(true, Ct);
        }

        var second = await WaitForAsync(() => receiver.Received.Skip(1).Select(r => (object)r).FirstOrDefault(), TimeSpan.FromSeconds(15), "the webhook of the new mail", serve);
        var request = ((IReadOnlyDictionary<string, string>, byte[], DateTimeOffset))second;
        var latency = request.Item3 - sentAt;
        TestContext.Current.TestOutputHelper?.WriteLine($"SMTP accepted to webhook received: {latency.TotalMilliseconds:F0} ms (whole SMTP session to webhook {clock.ElapsedMilliseconds} ms)");
        var body = Verified(request);
        Assert.Equal("message.created", body.GetProperty("type").GetString());
        Assert.Equal("Plain message 2", body.GetProperty("data").GetProperty("subject").GetString());
        Assert.Equal("1", request.Item1[WebhookSender.AttemptHeader]);
        Assert.InRange(latency, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(2, receiver.Received.Count);
    }

    [Fact]
    public async Task Deliveries_to_a_receiver_that_is_down_arrive_once_it_is_back()
    {
        LiveServers.RequireDovecot();
        const string user = "mr18";
        await Doveadm.ResetUserAsync(user);
        for (var i = 1; i <= 3; i++)
            await Doveadm.SaveAsync(user, "INBOX", TestMessages.Numbered(i, $"{user}@mailroom.test"));
        var port = FreePort();
        var (host, organization, subscription) = await PrepareAsync(user, port);
        await using var _ = host;
        var store = host.Services.GetRequiredService<IWebhookStore>();

        using var serve = MailroomProcess.Start(["--data", _data, "serve", "--urls", $"http://127.0.0.1:{FreePort()}"], environment: ServeSettings());
        // Nothing listens on the port: every delivery fails and is retried.
        IReadOnlyList<WebhookDelivery> seen = [];
        try
        {
            await WaitForAsync(() =>
            {
                seen = store.ListDeliveriesAsync(organization, subscription.Id, null, 10, Ct).GetAwaiter().GetResult();
                return seen.Count == 3 && seen.All(d => d.Attempts >= 2 && d.State == WebhookDeliveryState.Pending) ? seen : null;
            }, TimeSpan.FromSeconds(60), "two failed attempts of each delivery", serve);
        }
        catch (Exception) when (Log(seen))
        {
            throw;
        }

        var back = Stopwatch.StartNew();
        await using var receiver = await LiveReceiver.StartAsync(port);
        await WaitForAsync(() => receiver.Received.Count >= 3 ? receiver : null, TimeSpan.FromSeconds(15), "the retried deliveries", serve);
        TestContext.Current.TestOutputHelper?.WriteLine($"receiver back to all 3 delivered: {back.ElapsedMilliseconds} ms");

        var subjects = receiver.Received.Select(r => Verified(r).GetProperty("data").GetProperty("subject").GetString()).Order().ToList();
        Assert.Equal(["Alternative 3", "Plain message 1", "Plain message 2"], subjects);
        Assert.All(receiver.Received, r => Assert.True(int.Parse(r.Headers[WebhookSender.AttemptHeader], System.Globalization.CultureInfo.InvariantCulture) >= 3));
        await WaitForAsync(() =>
        {
            var deliveries = store.ListDeliveriesAsync(organization, subscription.Id, null, 10, Ct).GetAwaiter().GetResult();
            return deliveries.All(d => d.State == WebhookDeliveryState.Succeeded) ? deliveries : null;
        }, TimeSpan.FromSeconds(10), "the deliveries recorded as succeeded", serve);
        var log = (await store.GetDeliveryAsync(organization, (await store.ListDeliveriesAsync(organization, subscription.Id, null, 1, Ct))[0].Id, Ct))!.AttemptLog;
        Assert.All(log.SkipLast(1), a => Assert.False(a.Succeeded));
        Assert.True(log[^1].Succeeded);
        await Task.Delay(1500, Ct);
        Assert.Equal(3, receiver.Received.Count);
    }

    private static bool Log(IReadOnlyList<WebhookDelivery> deliveries)
    {
        foreach (var d in deliveries)
            TestContext.Current.TestOutputHelper?.WriteLine($"delivery {d.Id}: {d.State}, {d.Attempts} attempts, {d.LastError}");
        return false;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
