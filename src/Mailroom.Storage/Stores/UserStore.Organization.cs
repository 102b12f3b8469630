namespace Mailroom.Storage.Stores;

/// <summary>
/// What the console's admin pages and OpenID Connect sign-in need: users looked up and changed within one
/// organization only (another organization's user id is not found), and users linked to an OpenID identity.
/// </summary>
public sealed partial class UserStore
{
    /// <summary>The user of this organization with this id; null for another organization's.</summary>
    public async Task<UserRecord?> GetAsync(long organizationId, long id, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await Records(db, u => u.Id == id && u.OrganizationId == organizationId).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Removes the organization's user; false when there is none with this id in it.</summary>
    public async Task<bool> RemoveAsync(long organizationId, long id, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await db.Users.Where(u => u.Id == id && u.OrganizationId == organizationId).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// A new role for the organization's user. The security stamp changes with it, so the user's sessions (whose cookie
    /// carries the old role) end and the next sign-in has the new one.
    /// </summary>
    public async Task<bool> SetRoleAsync(long organizationId, long id, string role, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        var stamp = NewStamp();
        return await db.Users.Where(u => u.Id == id && u.OrganizationId == organizationId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Role, role).SetProperty(u => u.SecurityStamp, stamp), cancellationToken) == 1;
    }

    /// <summary>The user linked to this OpenID identity (the provider's issuer and its subject), if any.</summary>
    public async Task<UserRecord?> FindExternalAsync(string issuer, string subject, CancellationToken cancellationToken)
    {
        await using var db = _contexts.Create();
        return await Records(db, u => u.ExternalIssuer == issuer && u.ExternalSubject == subject).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Adds a user who signs in through an OpenID provider: no password, linked to the identity. Null when the name is
    /// taken or the identity is linked already (both unique).
    /// </summary>
    public Task<UserRecord?> AddExternalAsync(
        long organizationId, string name, string role, string issuer, string subject, CancellationToken cancellationToken) =>
        AddAsync(organizationId, name, "", role, (issuer, subject), cancellationToken);
}
