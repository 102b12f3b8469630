using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Discovery;
using Mailroom.Core.Storage;
using Mailroom.Server.Accounts;
using Mailroom.Server.Api.V1;
using Mailroom.Server.Sync;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Mailboxes;

/// <summary>
/// The organization's mailboxes with their state, and connecting one: by password (the same creation as
/// <c>POST /v1/mailboxes</c>: discovery from the address unless a server is given) or by OAuth (<c>/oauth/start</c>,
/// which comes back to the mailbox's page). Every action is the /v1 endpoint's own handler.
/// </summary>
internal sealed class IndexModel(
    OrganizationQueries queries, IAccountStore accounts, MailboxSignals signals, MailboxOnboarding onboarding, DiscoveryOptions discovery,
    OAuthOptions oauth, TimeProvider time, MailboxRemoval removal) : ConsolePageModel
{
    public IReadOnlyList<MailboxJson> Mailboxes { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public IReadOnlyList<string> OAuthProviders => [.. oauth.Providers.Keys.Order(StringComparer.Ordinal)];
    public DateTimeOffset Now => time.GetUtcNow();


    [BindProperty]
    public ConnectForm Connect { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string? cursor, CancellationToken cancellationToken)
    {
        if (OAuthNotice.Unprotect(HttpContext, Request.Query["oauthError"]) is { } oauthError)
            Error = "The OAuth connection failed: " + oauthError;
        var result = (await MailboxesApi.ListAsync(User, queries, cancellationToken, cursor, 100)).Result;
        if (ConsoleResults.ProblemText(result) is { } problem)
            Error = problem;
        else if (ConsoleResults.Value<Page<MailboxJson>>(result) is { } page)
            (Mailboxes, NextCursor) = (page.Items, page.NextCursor);
        return Page();
    }

    public async Task<IActionResult> OnPostConnectAsync(CancellationToken cancellationToken)
    {
        var request = new CreateMailboxRequest(
            Blank(Connect.Address), "imap", Blank(Connect.Host), Connect.Port, Blank(Connect.Security), Blank(Connect.UserName), Connect.Password,
            AllowPlaintext: false, Blank(Connect.Name), null,
            Blank(Connect.SmtpHost) is { } smtpHost ? new SmtpRequest(smtpHost, Connect.SmtpPort, Blank(Connect.SmtpSecurity), Blank(Connect.SmtpUserName)) : null,
            Verify: true);
        var result = await MailboxesApi.CreateAsync(request, User, onboarding, discovery, cancellationToken);
        if (ConsoleResults.ProblemText(result) is { } problem)
        {
            Error = "The mailbox was not connected: " + problem;
            Connect.Password = null;
            return await OnGetAsync(null, cancellationToken);
        }
        var created = ConsoleResults.Value<CreatedMailboxJson>(result)!;
        Notice = $"Connected {created.Mailbox.Name} (settings: {created.SettingsFrom}); the first sync starts now.";
        return LocalRedirect($"/mailboxes/{created.Mailbox.Id}");
    }

    public Task<IActionResult> OnPostSyncAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(async () => (await MailboxesApi.SyncAsync(id, User, queries, signals, cancellationToken)).Result, "Sync started.");

    public Task<IActionResult> OnPostPauseAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(async () => (await MailboxesApi.SetPausedAsync(id, true, User, queries, accounts, signals, cancellationToken)).Result, "Paused.");

    public Task<IActionResult> OnPostResumeAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(async () => (await MailboxesApi.SetPausedAsync(id, false, User, queries, accounts, signals, cancellationToken)).Result, "Resumed.");

    public Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(async () => (await MailboxesApi.DeleteAsync(id, User, queries, accounts, signals, removal, cancellationToken)).Result,
            "Removed the mailbox and everything synced from it.", removed: true);

    // Post, then redirect: a reload shows the page again instead of repeating the action.
    // The form says where it was (the list or the mailbox's page); a removed mailbox has no page to go back to.
    private async Task<IActionResult> ActAsync(Func<Task<IResult>> action, string done, bool removed = false)
    {
        var result = await action();
        if (ConsoleResults.ProblemStatus(result) == StatusCodes.Status404NotFound)
            return NotFound();
        Notice = ConsoleResults.ProblemText(result) ?? done;
        var back = Request.Form["back"].ToString();
        return LocalRedirect(!removed && back.StartsWith("/mailboxes", StringComparison.Ordinal) && Url.IsLocalUrl(back) ? back : "/mailboxes");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The connect form (the password is never shown again).</summary>
    internal sealed class ConnectForm
    {
        public string? Address { get; set; }
        public string? Password { get; set; }
        public string? Host { get; set; }
        public int? Port { get; set; }
        public string? Security { get; set; }
        public string? UserName { get; set; }
        public string? Name { get; set; }
        public string? SmtpHost { get; set; }
        public int? SmtpPort { get; set; }
        public string? SmtpSecurity { get; set; }
        public string? SmtpUserName { get; set; }
    }
}
