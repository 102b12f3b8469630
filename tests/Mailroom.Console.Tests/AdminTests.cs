using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Mailroom.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Mailroom.Console.Tests;

/// <summary>The admin pages: users (add, role, password, remove) and webhooks (subscriptions, deliveries with attempts, redeliver).</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class AdminTests(ConsoleServer server, ConsoleBrowser browser)
{
    [Fact]
    public async Task An_admin_adds_a_user_changes_their_role_and_password_and_removes_them_within_the_organization_only()
    {
        var name = "nina-" + Guid.NewGuid().ToString("N")[..6];
        var admin = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Admin);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = ConsoleServer.Member, Exact = true })).ToBeVisibleAsync();
        // Another organization's users are not listed.
        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = ConsoleServer.OtherAdmin, Exact = true })).ToHaveCountAsync(0);
        await ConsoleBrowser.AssertAccessibleAsync(admin);

        // Too short a password: refused, nothing added.
        await admin.GetByLabel("Name").FillAsync(name);
        await admin.Locator("input[name=password]").EvaluateAsync("e => e.removeAttribute('minlength')");
        await admin.Locator("input[name=password]").FillAsync("short");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("at least 10 characters");
        await admin.Locator("input[name=password]").FillAsync("first-password-1");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"Added {name} (member)");
        await Screenshots.SaveAsync(admin, "users");

        // The new member signs in, and has no admin pages.
        var nina = await browser.NewPageAsync(server.BaseUri);
        await ConsoleBrowser.SignInAsync(nina, name, "first-password-1");
        await nina.WaitForURLAsync(SignInTests.MailboxesUrl());
        await Assertions.Expect(nina.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);

        // Made an admin: their session ends; signed in again, they have the admin pages.
        await admin.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        await admin.WaitForURLAsync(new Regex(@"/users/\d+$"));
        var userUrl = admin.Url;
        await ConsoleBrowser.AssertAccessibleAsync(admin);
        await admin.Locator("select[name=role]").SelectOptionAsync("admin");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("is an admin now");
        await nina.GotoAsync("/mailboxes");
        Assert.Contains("/signin", nina.Url, StringComparison.Ordinal);
        await ConsoleBrowser.SignInAsync(nina, name, "first-password-1");
        await nina.WaitForURLAsync(SignInTests.MailboxesUrl());
        await Assertions.Expect(nina.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToBeVisibleAsync();

        // A new password: the old one is refused, the new one works.
        await admin.Locator("#password ~ form input[name=password]").FillAsync("second-password-2");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync($"Set a new password for {name}");
        await nina.GotoAsync("/mailboxes");
        Assert.Contains("/signin", nina.Url, StringComparison.Ordinal);
        await ConsoleBrowser.SignInAsync(nina, name, "first-password-1");
        await Assertions.Expect(nina.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user name or password.");
        await ConsoleBrowser.SignInAsync(nina, name, "second-password-2");
        await nina.WaitForURLAsync(SignInTests.MailboxesUrl());

        // An admin's own page changes nothing of themself.
        await nina.GotoAsync(userUrl);
        await Assertions.Expect(nina.GetByRole(AriaRole.Button, new() { Name = "Change role" })).ToHaveCountAsync(0);

        // Another organization's admin gets 404 for this user: the page and every action.
        var olga = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.OtherAdmin);
        Assert.Equal((int)HttpStatusCode.NotFound, (await olga.GotoAsync(userUrl))!.Status);
        await olga.GotoAsync("/users");
        var token = await olga.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
        foreach (var handler in new[] { "remove", "role", "password" })
        {
            var form = olga.Context.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", token);
            form.Set("role", "member");
            form.Set("password", "taken-over-password");
            var response = await olga.Context.APIRequest.PostAsync($"{new Uri(userUrl).AbsolutePath}?handler={handler}", new() { Form = form, MaxRedirects = 0 });
            Assert.Equal((int)HttpStatusCode.NotFound, response.Status);
        }
        await olga.Context.CloseAsync();
        await nina.GotoAsync("/mailboxes");
        Assert.EndsWith("/mailboxes", nina.Url, StringComparison.Ordinal);

        // Removed: gone from the list, and signed out at the next request.
        admin.Dialog += (_, dialog) => dialog.AcceptAsync();
        await admin.GotoAsync(userUrl);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Remove user: " + name }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Removed {name}.");
        await Assertions.Expect(admin.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToHaveCountAsync(0);
        await nina.GotoAsync("/mailboxes");
        Assert.Contains("/signin", nina.Url, StringComparison.Ordinal);
        await nina.Context.CloseAsync();

        // Members have neither page.
        var max = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Member);
        foreach (var path in new[] { "/users", userUrl, "/webhooks" })
        {
            await max.GotoAsync(path);
            Assert.Contains("/denied", max.Url, StringComparison.Ordinal);
        }
        await max.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task Webhook_deliveries_show_each_attempt_and_can_be_delivered_again()
    {
        // An organization of its own, so the mailbox it connects shows in no other test's lists.
        await server.AddUserAsync("wendy", "initech", "admin");
        using var receiver = new Receiver();
        var user = ConsoleServer.MailUser;
        await Doveadm.SaveAsync(user, "INBOX", Encoding.ASCII.GetBytes(
            $"From: Hook <hook@example.org>\r\nTo: {user}@mailroom.test\r\nSubject: For the webhook\r\nMessage-ID: <hook-{Guid.NewGuid():N}@example.org>\r\n\r\nHi\r\n"));

        var page = await browser.SignedInPageAsync(server.BaseUri, "wendy");
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No webhooks yet")).ToBeVisibleAsync();
        await ConsoleBrowser.AssertAccessibleAsync(page);
        // A URL the server may not reach is refused with the reason (169.254.169.254: link-local, cloud metadata).
        await page.GetByLabel("URL").FillAsync("http://169.254.169.254/latest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not subscribed: url points at 169.254.169.254");
        await page.GetByLabel("URL").FillAsync(receiver.Url);
        await page.GetByLabel("Events").FillAsync("message.created");
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        var secret = (await page.Locator("#new-secret").TextContentAsync())!.Trim();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        TestArtifacts.RecordSecrets("webhook", secret);
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await page.GotoAsync("/webhooks");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = receiver.Url }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/webhooks/\d+$"));
        var webhookUrl = page.Url;

        // A mailbox of the organization syncs: its messages are events; each delivery fails once (500), then succeeds.
        await page.GotoAsync("/mailboxes");
        await MailboxTests.FillConnectAsync(page, user, user + "pass");
        await page.WaitForURLAsync(new Regex(@"/mailboxes/\d+$"));
        var mailboxUrl = page.Url;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var rows = page.Locator("tbody tr");
        while (true)
        {
            await page.GotoAsync(webhookUrl);
            if (await rows.CountAsync() > 0 && await page.Locator(".delivery-succeeded").CountAsync() == await rows.CountAsync())
                break;
            Assert.True(DateTime.UtcNow < deadline, "the deliveries did not succeed: " + await page.Locator("main").InnerTextAsync());
            await Task.Delay(1000, TestContext.Current.CancellationToken);
        }
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "webhook");
        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/webhooks/deliveries/\d+$"));
        var deliveryUrl = page.Url;
        var attempts = page.Locator("tr.attempt");
        await Assertions.Expect(attempts).ToHaveCountAsync(2);
        await Assertions.Expect(attempts.Nth(0)).ToContainTextAsync("failed");
        await Assertions.Expect(attempts.Nth(0)).ToContainTextAsync("500");
        await Assertions.Expect(attempts.Nth(1)).ToContainTextAsync("succeeded");
        await Assertions.Expect(attempts.Nth(1)).ToContainTextAsync("204");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Screenshots.SaveAsync(page, "webhook-delivery");
        var before = receiver.Posts;

        // Redelivered: one more signed POST arrives, and the page shows its attempt.
        await page.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("delivered again");
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (await attempts.CountAsync() < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the redelivery was not attempted");
            await Task.Delay(500, TestContext.Current.CancellationToken);
            await page.GotoAsync(deliveryUrl);
        }
        await Assertions.Expect(attempts.Nth(2)).ToContainTextAsync("204");
        Assert.Equal(before + 1, receiver.Posts);
        Assert.True(receiver.AllSigned, "a delivery came without its Mailroom-Signature");

        // Another organization's admin gets 404 for the subscription, the delivery and the redelivery.
        var ann = await browser.SignedInPageAsync(server.BaseUri, ConsoleServer.Admin);
        Assert.Equal((int)HttpStatusCode.NotFound, (await ann.GotoAsync(webhookUrl))!.Status);
        Assert.Equal((int)HttpStatusCode.NotFound, (await ann.GotoAsync(deliveryUrl))!.Status);
        await ann.GotoAsync("/webhooks");
        var form = ann.Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", await ann.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync());
        Assert.Equal((int)HttpStatusCode.NotFound,
            (await ann.Context.APIRequest.PostAsync(new Uri(deliveryUrl).AbsolutePath + "?handler=redeliver", new() { Form = form, MaxRedirects = 0 })).Status);
        Assert.Equal((int)HttpStatusCode.NotFound,
            (await ann.Context.APIRequest.PostAsync(new Uri(webhookUrl).AbsolutePath + "?handler=remove", new() { Form = form, MaxRedirects = 0 })).Status);
        await ann.Context.CloseAsync();
        Assert.Equal(before + 1, receiver.Posts);

        // Removed by its admin.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync(webhookUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove webhook: " + receiver.Url }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Removed the webhook");
        Assert.Equal((int)HttpStatusCode.NotFound, (await page.GotoAsync(webhookUrl))!.Status);
        // The mailbox goes too, so that it stops holding a connection to the test user.
        await page.GotoAsync(mailboxUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove: {user}@127.0.0.1" }).ClickAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>A webhook receiver on loopback: each event's first POST gets 500, every later one 204.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, int> _seen = new();
        private int _posts;
        private int _unsigned;

        public Receiver()
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/hook";
            _listener.Prefixes.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }
        public int Posts => Volatile.Read(ref _posts);
        public bool AllSigned => Volatile.Read(ref _unsigned) == 0;

        public void Dispose() => _listener.Close();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref _posts);
                if (context.Request.Headers["Mailroom-Signature"] is not { Length: > 0 })
                    Interlocked.Increment(ref _unsigned);
                var key = context.Request.Headers["Mailroom-Event-Id"] ?? "";
                var count = _seen.AddOrUpdate(key, 1, (_, n) => n + 1);
                context.Response.StatusCode = count == 1 ? 500 : 204;
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
    }
}
