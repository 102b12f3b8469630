using Mailroom.Core.Storage;
using Mailroom.Server.Api.V1;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Contacts;

/// <summary>The organization's contacts by external id (paged as in the API), and adding one (<c>POST /v1/contacts</c>'s handler).</summary>
internal sealed class IndexModel(IContactStore contacts) : ConsolePageModel
{
    public IReadOnlyList<ContactJson> Contacts { get; private set; } = [];
    public string? NextCursor { get; private set; }

    [BindProperty]
    public ContactForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string? cursor, CancellationToken cancellationToken)
    {
        var result = (await ContactsApi.ListAsync(User, contacts, cancellationToken, cursor, 50)).Result;
        if (ConsoleResults.Value<Page<ContactJson>>(result) is { } page)
            (Contacts, NextCursor) = (page.Items, page.NextCursor);
        else
            Error = ConsoleResults.ProblemText(result);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var request = new ContactRequest(Form.ExternalId, Form.Name, ContactForm.Lines(Form.Addresses));
        var result = (await ContactsApi.CreateAsync(request, User, contacts, cancellationToken)).Result;
        if (ConsoleResults.ProblemText(result) is { } problem)
        {
            await OnGetAsync(null, cancellationToken);
            Error = "The contact was not added: " + problem;
            return Page();
        }
        var saved = ConsoleResults.Value<ContactSavedJson>(result)!;
        Notice = $"Added {saved.Contact.Name}: linked to {saved.Linked} stored messages.";
        return LocalRedirect(ContactForm.PathOf(saved.Contact.ExternalId));
    }
}
