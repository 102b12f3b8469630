using Mailroom.Server.Api.V1;
using Mailroom.Storage.Stores;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Users;

/// <summary>The organization's console users (admins only), and adding one with a password (as <c>mailroom user add</c>).</summary>
internal sealed class IndexModel(UserStore users, ConsoleAccounts accounts, ILogger<IndexModel> logger) : ConsolePageModel
{
    public IReadOnlyList<UserRecord> Users { get; private set; } = [];

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string Role { get; set; } = ConsoleRoles.Member;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Users = await users.ListAsync(User.OrganizationId(), cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? password, CancellationToken cancellationToken)
    {
        var (added, error) = await accounts.AddAsync(User.OrganizationId(), Name ?? "", password ?? "", Role, cancellationToken);
        if (added is null)
        {
            Error = "The user was not added: " + error;
            await OnGetAsync(cancellationToken);
            return Page();
        }
        Log.UserManaged(logger, User.Identity?.Name ?? "?", "added", added.Name);
        Notice = $"Added {added.Name} ({added.Role}). They sign in with the password you gave.";
        return LocalRedirect("/users");
    }
}
