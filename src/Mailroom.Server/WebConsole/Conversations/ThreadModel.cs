using Mailroom.Server.Api.V1;
using Mailroom.Server.View;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.WebConsole.Conversations;

/// <summary>
/// A conversation: its messages oldest first, each with why it is in the thread, its folders and flags, its attachments
/// (downloads) and its body through the sandboxed view (<c>/view</c>, a signed link as <c>GET /v1/messages/{id}/view</c>
/// gives one), where remote content is blocked until the reader chooses to load it and the privacy report is shown.
/// Another organization's thread is 404.
/// </summary>
internal sealed class ThreadModel(OrganizationQueries queries, StoreInspector inspector, ViewUrlSigner signer, ViewOptions viewOptions, TimeProvider time)
    : PageModel
{
    /// <summary>A thread longer than this shows its latest messages (the API has them all).</summary>
    public const int MaxMessages = 50;

    public ThreadJson Thread { get; private set; } = null!;
    public IReadOnlyList<ThreadEntry> Messages { get; private set; } = [];
    public int Skipped { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (ConsoleResults.Value<ThreadDetailJson>((await ThreadsApi.GetAsync(id, User, queries, inspector, cancellationToken)).Result) is not { } thread)
            return NotFound();
        Thread = thread.Thread;
        Skipped = Math.Max(0, thread.Messages.Count - MaxMessages);
        var entries = new List<ThreadEntry>();
        foreach (var m in thread.Messages.Skip(Skipped))
        {
            var detail = ConsoleResults.Value<MessageDetailJson>((await MessagesApi.GetAsync(m.Id, User, queries, cancellationToken)).Result);
            var view = ConsoleResults.Value<ViewLinkJson>(
                (await MessagesApi.ViewLinkAsync(m.Id, User, queries, signer, viewOptions, time, cancellationToken)).Result);
            entries.Add(new ThreadEntry(m, detail, view?.Url));
        }
        Messages = entries;
        return Page();
    }
}
