using Mailroom.Core.Storage;
using Mailroom.Server.Api.V1;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Contacts;

/// <summary>
/// One contact: its name and addresses (edited through <c>PUT /v1/contacts/{id}</c>'s handler) and its timeline across
/// the organization's mailboxes, newest first, paged by the API's cursor. Another organization's contact is 404.
/// </summary>
internal sealed class ContactModel(IContactStore contacts) : ConsolePageModel
{
    public ContactJson Contact { get; private set; } = null!;
    public IReadOnlyList<TimelineEntryJson> Timeline { get; private set; } = [];
    public string? NextCursor { get; private set; }

    [BindProperty]
    public ContactForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string? id, string? cursor, CancellationToken cancellationToken)
    {
        if (id is null || ConsoleResults.Value<ContactJson>((await ContactsApi.GetAsync(id, User, contacts, cancellationToken)).Result) is not { } contact)
            return NotFound();
        Contact = contact;
        Form = new ContactForm { ExternalId = contact.ExternalId, Name = contact.Name, Addresses = string.Join('\n', contact.Addresses) };
        var result = (await ContactsApi.TimelineAsync(id, User, contacts, cancellationToken, cursor, 25)).Result;
        if (ConsoleResults.Value<Page<TimelineEntryJson>>(result) is { } page)
            (Timeline, NextCursor) = (page.Items, page.NextCursor);
        else
            Error = ConsoleResults.ProblemText(result);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? id, CancellationToken cancellationToken)
    {
        // Only an existing contact of this organization is edited here (PUT would create one).
        if (id is null || ConsoleResults.Value<ContactJson>((await ContactsApi.GetAsync(id, User, contacts, cancellationToken)).Result) is null)
            return NotFound();
        var typed = Form;
        var result = (await ContactsApi.ReplaceAsync(id, new ContactReplaceRequest(typed.Name, ContactForm.Lines(typed.Addresses)), User, contacts,
            cancellationToken)).Result;
        if (ConsoleResults.ProblemText(result) is { } problem)
        {
            await OnGetAsync(id, null, cancellationToken);
            (Form, Error) = (typed, "Not saved: " + problem);
            return Page();
        }
        var saved = ConsoleResults.Value<ContactSavedJson>(result)!;
        Notice = $"Saved: {saved.Linked} messages linked, {saved.Unlinked} unlinked.";
        return LocalRedirect(ContactForm.PathOf(id));
    }
}
