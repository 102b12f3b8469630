using Mailroom.Core.Contacts;
using Mailroom.Core.Storage;
using Mailroom.Server.Api.V1;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Contacts;

/// <summary>
/// The organization's contacts by external id (paged as in the API; <c>q</c> keeps those whose id, name or an address
/// contains it), adding one (<c>POST /v1/contacts</c>'s handler), and importing a CSV file in the format of
/// <c>mailroom contact import</c> (<see cref="ContactCsv"/>): good rows are saved, rejected ones listed with their line.
/// </summary>
internal sealed class IndexModel(IContactStore contacts) : ConsolePageModel
{
    /// <summary>Larger files go through <c>mailroom contact import</c> or <c>POST /v1/contacts/bulk</c>.</summary>
    public const long MaxImportBytes = 5 * 1024 * 1024;

    public IReadOnlyList<ContactJson> Contacts { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public ImportSummary? Import { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty]
    public ContactForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string? cursor, CancellationToken cancellationToken)
    {
        var result = (await ContactsApi.ListAsync(User, contacts, cancellationToken, cursor, 50, Q)).Result;
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

    /// <summary>The summary is this answer's page (not a redirect): the rejected rows are shown once, beside the list.</summary>
    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        Q = null;
        if (file is not { Length: > 0 })
            Error = "Choose a CSV file to import (its first line: external_id,name,email).";
        else if (file.Length > MaxImportBytes)
            Error = $"The file is larger than {MaxImportBytes / (1024 * 1024)} MB: import it with `mailroom contact import` or POST /v1/contacts/bulk.";
        else
            Import = await ImportAsync(file, cancellationToken);
        await OnGetAsync(null, cancellationToken);
        return Page();
    }

    private async Task<ImportSummary> ImportAsync(IFormFile file, CancellationToken cancellationToken)
    {
        IReadOnlyList<ContactCsv.Row> rows;
        using (var reader = new StreamReader(file.OpenReadStream(), detectEncodingFromByteOrderMarks: true))
            rows = ContactCsv.Read(reader);
        var organizationId = User.OrganizationId();
        int created = 0, updated = 0, linked = 0, unlinked = 0;
        foreach (var row in rows)
        {
            if (row.Contact is not { } input)
                continue;
            var saved = await contacts.UpsertAsync(organizationId, input, cancellationToken);
            _ = saved.Created ? created++ : updated++;
            linked += saved.Links.Linked;
            unlinked += saved.Links.Unlinked;
        }
        return new ImportSummary(Path.GetFileName(file.FileName), created, updated, linked, unlinked, [.. rows.Where(r => r.Contact is null)]);
    }
}
