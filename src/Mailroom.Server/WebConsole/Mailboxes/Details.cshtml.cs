using Mailroom.Server.Api.V1;
using Mailroom.Server.Sync;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Mailboxes;

/// <summary>
/// One mailbox: its state, each folder's counts, last sync (lag) and last error, the live progress of a running sync,
/// and its actions. Another organization's mailbox is 404, as in the API.
/// </summary>
internal sealed class DetailsModel(OrganizationQueries queries, StoreInspector inspector, SyncProgressBoard progress, TimeProvider time) : ConsolePageModel
{
    public MailboxStatusJson Status { get; private set; } = null!;
    public ProgressView Progress { get; private set; } = null!;
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var result = (await MailboxesApi.StatusAsync(id, User, queries, inspector, time, cancellationToken)).Result;
        if (ConsoleResults.Value<MailboxStatusJson>(result) is not { } status)
            return NotFound();
        Status = status;
        Progress = ProgressOf(status.Mailbox);
        return Page();
    }

    /// <summary>The live progress fragment that the page polls (<c>console.js</c>, data-poll).</summary>
    public async Task<IActionResult> OnGetProgressAsync(long id, CancellationToken cancellationToken)
    {
        var result = (await MailboxesApi.GetAsync(id, User, queries, cancellationToken)).Result;
        return ConsoleResults.Value<MailboxJson>(result) is { } mailbox ? Partial("_Progress", ProgressOf(mailbox)) : NotFound();
    }

    private ProgressView ProgressOf(MailboxJson mailbox) =>
        new(mailbox.Id, progress.Get(mailbox.Id), mailbox.State == Core.Accounts.MailboxState.New && !mailbox.Paused);
}
