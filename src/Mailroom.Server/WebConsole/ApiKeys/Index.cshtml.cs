using Mailroom.Server.Api.V1;
using Mailroom.Storage.Stores;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.ApiKeys;

/// <summary>
/// The organization's API keys (admins only): create one (the key is shown on this answer only; only its hash is
/// stored), list them by prefix, revoke. The same store as <c>mailroom apikey</c>.
/// </summary>
internal sealed class IndexModel(ApiKeyStore keys) : ConsolePageModel
{
    public IReadOnlyList<ApiKeyRecord> Keys { get; private set; } = [];

    /// <summary>The key just created: on this page only, once.</summary>
    public string? CreatedKey { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Keys = await keys.ListAsync(User.OrganizationId(), cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken cancellationToken)
    {
        // Trimmed here, so that this check and the store's (which throws) are one rule.
        if (name?.Trim() is not { Length: > 0 and <= 200 } trimmed)
            Error = "Give the key a name of 1 to 200 characters (what it is for).";
        else
            (_, CreatedKey) = await keys.CreateAsync(User.OrganizationId(), trimmed, cancellationToken);
        // The key is written into this answer and nowhere else; the answer must not be kept by any cache.
        Response.Headers.CacheControl = "no-store";
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken cancellationToken)
    {
        // Scoped to this organization by the store itself: another organization's key is not found.
        if (await keys.RevokeAsync(User.OrganizationId(), id, cancellationToken) is not { } revoked)
            return NotFound();
        Notice = $"Revoked {revoked.Name} ({revoked.Prefix}…): it answers 401 from now on.";
        return LocalRedirect("/apikeys");
    }
}
