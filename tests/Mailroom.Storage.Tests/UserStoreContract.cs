using Mailroom.Storage.Stores;
using Mailroom.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Tests;

/// <summary><see cref="UserStore"/>'s promises (one user per name whatever the case, counted failures, lockout, stamps), per provider.</summary>
public abstract class UserStoreContract<TDatabase>(TDatabase database)
    where TDatabase : TestDatabase
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private UserStore Users => database.Services.GetRequiredService<UserStore>();

    [Fact]
    public async Task A_name_is_one_user_whatever_its_case_across_organizations()
    {
        var a = await database.Accounts.EnsureOrganizationAsync("users-a", Ct);
        var b = await database.Accounts.EnsureOrganizationAsync("users-b", Ct);
        var ann = await Users.AddAsync(a, "Ann.Case", "hash-1", "admin", Ct);
        Assert.NotNull(ann);
        Assert.Null(await Users.AddAsync(b, "ann.case", "hash-2", "member", Ct));
        Assert.Equal(ann!.Id, (await Users.FindAsync("ANN.CASE", Ct))!.Id);
        var (found, hash) = (await Users.FindForSignInAsync(" ann.case ", Ct))!.Value;
        Assert.Equal(("Ann.Case", "users-a", "admin", "hash-1"), (found.Name, found.OrganizationName, found.Role, hash));
        Assert.Single(await Users.ListAsync(a, Ct));
        Assert.Empty(await Users.ListAsync(b, Ct));
    }

    [Fact]
    public async Task Failures_lock_out_at_the_limit_and_a_new_password_or_a_success_starts_again()
    {
        var org = await database.Accounts.EnsureOrganizationAsync("users-lock", Ct);
        var user = (await Users.AddAsync(org, "locky", "hash", "member", Ct))!;
        var lockout = TimeSpan.FromMinutes(15);

        Assert.Null(await Users.RecordFailureAsync(user.Id, 3, lockout, Ct));
        await Users.RecordSuccessAsync(user.Id, null, Ct);
        Assert.Equal(0, (await Users.GetAsync(user.Id, Ct))!.FailedSignIns);

        Assert.Null(await Users.RecordFailureAsync(user.Id, 3, lockout, Ct));
        Assert.Null(await Users.RecordFailureAsync(user.Id, 3, lockout, Ct));
        var until = await Users.RecordFailureAsync(user.Id, 3, lockout, Ct);
        Assert.Equal(database.Time.GetUtcNow() + lockout, until);
        var locked = (await Users.GetAsync(user.Id, Ct))!;
        Assert.Equal((0, until), (locked.FailedSignIns, locked.LockedUntil));

        // A new password ends the lockout and changes the stamp (every session ends).
        Assert.True(await Users.SetPasswordAsync(user.Id, "new-hash", Ct));
        var after = (await Users.GetAsync(user.Id, Ct))!;
        Assert.Null(after.LockedUntil);
        Assert.NotEqual(locked.SecurityStamp, after.SecurityStamp);
        Assert.Equal("new-hash", (await Users.FindForSignInAsync("locky", Ct))!.Value.PasswordHash);
    }

    [Fact]
    public async Task Parallel_failures_lock_out_once_and_count_every_attempt()
    {
        var org = await database.Accounts.EnsureOrganizationAsync("users-race", Ct);
        var user = (await Users.AddAsync(org, "racer", "hash", "member", Ct))!;
        // Nine guesses at once with a limit of 5: one of them locks (the count starts again), none is lost.
        var results = await Task.WhenAll(Enumerable.Range(0, 9).Select(_ => Users.RecordFailureAsync(user.Id, 5, TimeSpan.FromMinutes(1), Ct)));
        var after = (await Users.GetAsync(user.Id, Ct))!;
        Assert.NotNull(after.LockedUntil);
        Assert.Equal(4, after.FailedSignIns);
        Assert.Contains(results, r => r is not null);
    }

    [Fact]
    public async Task Removing_a_user_or_rotating_its_stamp()
    {
        var org = await database.Accounts.EnsureOrganizationAsync("users-remove", Ct);
        var user = (await Users.AddAsync(org, "gone", "hash", "member", Ct))!;
        await Users.RotateStampAsync(user.Id, Ct);
        Assert.NotEqual(user.SecurityStamp, (await Users.GetAsync(user.Id, Ct))!.SecurityStamp);
        Assert.True(await Users.RemoveAsync(user.Id, Ct));
        Assert.False(await Users.RemoveAsync(user.Id, Ct));
        Assert.Null(await Users.FindAsync("gone", Ct));
    }

    [Fact]
    public async Task An_openid_identity_is_one_user_without_a_password_and_admin_changes_stay_in_the_organization()
    {
        var org = await database.Accounts.EnsureOrganizationAsync("users-sso", Ct);
        var other = await database.Accounts.EnsureOrganizationAsync("users-sso-other", Ct);
        var sub = "sub-" + Guid.NewGuid().ToString("N");
        var sso = await Users.AddExternalAsync(org, sub + "@sso.example", "member", "https://issuer.example", sub, Ct);
        Assert.NotNull(sso);
        Assert.True(sso!.SingleSignOn);
        Assert.False(sso.HasPassword);
        Assert.Equal(sso.Id, (await Users.FindExternalAsync("https://issuer.example", sub, Ct))!.Id);
        // The same subject at another issuer is another person; the same identity twice is refused.
        Assert.Null(await Users.FindExternalAsync("https://other-issuer.example", sub, Ct));
        Assert.Null(await Users.AddExternalAsync(org, "someone-else-" + sub, "member", "https://issuer.example", sub, Ct));
        // Password users have no identity: many of them (NULLs) do not collide.
        Assert.NotNull(await Users.AddAsync(org, "pw-1-" + sub, "hash", "member", Ct));
        Assert.NotNull(await Users.AddAsync(org, "pw-2-" + sub, "hash", "member", Ct));
        Assert.Equal("", (await Users.FindForSignInAsync(sso.Name, Ct))!.Value.PasswordHash);

        // Another organization neither sees nor changes the user.
        Assert.Null(await Users.GetAsync(other, sso.Id, Ct));
        Assert.False(await Users.SetRoleAsync(other, sso.Id, "admin", Ct));
        Assert.False(await Users.RemoveAsync(other, sso.Id, Ct));
        Assert.Equal("member", (await Users.GetAsync(org, sso.Id, Ct))!.Role);
        // Its own organization does: a new role changes the stamp (sessions end).
        Assert.True(await Users.SetRoleAsync(org, sso.Id, "admin", Ct));
        var changed = (await Users.GetAsync(org, sso.Id, Ct))!;
        Assert.Equal("admin", changed.Role);
        Assert.NotEqual(sso.SecurityStamp, changed.SecurityStamp);
        Assert.True(await Users.RemoveAsync(org, sso.Id, Ct));
        Assert.Null(await Users.FindExternalAsync("https://issuer.example", sub, Ct));
    }
}
