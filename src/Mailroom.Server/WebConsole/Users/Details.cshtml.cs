using Mailroom.Server.Api.V1;
using Mailroom.Storage.Stores;
using Microsoft.AspNetCore.Mvc;

namespace Mailroom.Server.WebConsole.Users;

/// <summary>
/// One user of the organization (admins only): a new role, a new password, removal. Each ends the user's sessions
/// (the security stamp changes). Another organization's user id is 404. An admin does not change or remove themself
/// here, so that an organization cannot lose its last admin by a click; the CLI can.
/// </summary>
internal sealed class DetailsModel(UserStore users, ConsoleAccounts accounts, ILogger<DetailsModel> logger) : ConsolePageModel
{
    public UserRecord Person { get; private set; } = null!;

    public bool IsSelf => Person.Id == User.UserId();

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await users.GetAsync(User.OrganizationId(), id, cancellationToken) is not { } user)
            return NotFound();
        Person = user;
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(long id, string? role, CancellationToken cancellationToken)
    {
        if (await FindOtherAsync(id, cancellationToken) is not { } user)
            return NotFound();
        if (role is null || !ConsoleRoles.IsKnown(role))
            return Fail(user, "The role must be admin or member.");
        await users.SetRoleAsync(User.OrganizationId(), id, role, cancellationToken);
        Log.UserManaged(logger, User.Identity?.Name ?? "?", "made " + role, user.Name);
        Notice = $"{user.Name} is {(role == ConsoleRoles.Admin ? "an admin" : "a member")} now; their sessions have ended.";
        return LocalRedirect($"/users/{id}");
    }

    public async Task<IActionResult> OnPostPasswordAsync(long id, string? password, CancellationToken cancellationToken)
    {
        if (await FindOtherAsync(id, cancellationToken) is not { } user)
            return NotFound();
        if (await accounts.SetPasswordAsync(user, password ?? "", cancellationToken) is { } error)
            return Fail(user, "The password was not set: " + error);
        Log.UserManaged(logger, User.Identity?.Name ?? "?", "set the password of", user.Name);
        Notice = $"Set a new password for {user.Name}; their sessions and any lockout have ended.";
        return LocalRedirect($"/users/{id}");
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken cancellationToken)
    {
        if (await FindOtherAsync(id, cancellationToken) is not { } user || !await users.RemoveAsync(User.OrganizationId(), id, cancellationToken))
            return NotFound();
        Log.UserManaged(logger, User.Identity?.Name ?? "?", "removed", user.Name);
        Notice = $"Removed {user.Name}.";
        return LocalRedirect("/users");
    }

    // The organization's user, other than the admin acting (whose own row is read-only here).
    private async Task<UserRecord?> FindOtherAsync(long id, CancellationToken cancellationToken) =>
        await users.GetAsync(User.OrganizationId(), id, cancellationToken) is { } user && user.Id != User.UserId() ? user : null;

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Fail(UserRecord user, string error)
    {
        (Person, Error) = (user, error);
        return Page();
    }
}
