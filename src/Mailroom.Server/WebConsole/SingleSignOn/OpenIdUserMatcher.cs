using System.Security.Claims;
using Mailroom.Core.Storage;
using Mailroom.Storage.Stores;

namespace Mailroom.Server.WebConsole.SingleSignOn;

/// <summary>
/// The rule that makes a person signed in at the OpenID provider a console user (docs/console.md, "Single sign-on"):
/// <list type="number">
/// <item>a user linked to the person's identity (the provider's issuer and the <c>sub</c> claim) is that user, with
/// their organization and role as stored, whatever their address says now;</item>
/// <item>else a new user is added, named by the email address (verified, unless configured otherwise), to the
/// organization that <see cref="OpenIdSignInOptions.Organizations"/> gives the address's domain, with the configured
/// role, no password, and linked to the identity;</item>
/// <item>an existing user of that name is never taken over: linking a password user to an identity is refused.</item>
/// </list>
/// </summary>
internal sealed class OpenIdUserMatcher(UserStore users, IAccountStore accounts, OpenIdSignInOptions options, ILogger<OpenIdUserMatcher> logger)
{
    public const string SubjectClaim = "sub";
    public const string EmailClaim = "email";
    public const string EmailVerifiedClaim = "email_verified";

    public async Task<(UserRecord? User, OpenIdRefusal? Refusal)> MatchAsync(ClaimsPrincipal external, CancellationToken cancellationToken)
    {
        // The subject claim's issuer is the issuer of the validated ID token.
        if (external.FindFirst(SubjectClaim) is not { Value.Length: > 0 } subject)
            return (null, OpenIdRefusal.Failed);
        var issuer = subject.Issuer;
        if (await users.FindExternalAsync(issuer, subject.Value, cancellationToken) is { } linked)
        {
            Log.OpenIdSignedIn(logger, linked.Name);
            return (linked, null);
        }
        if (external.FindFirst(EmailClaim)?.Value?.Trim() is not { Length: > 0 } email || ConsoleAccounts.CheckName(email) is not null)
            return Refuse(OpenIdRefusal.NoEmail, subject.Value);
        if (options.RequireVerifiedEmail && !string.Equals(external.FindFirst(EmailVerifiedClaim)?.Value, "true", StringComparison.OrdinalIgnoreCase))
            return Refuse(OpenIdRefusal.EmailNotVerified, subject.Value);
        if (options.OrganizationFor(email) is not { } organization)
            return Refuse(OpenIdRefusal.DomainNotAllowed, subject.Value);
        var organizationId = await accounts.EnsureOrganizationAsync(organization, cancellationToken);
        if (await users.AddExternalAsync(organizationId, email, options.Role, issuer, subject.Value, cancellationToken) is { } added)
        {
            Log.OpenIdProvisioned(logger, added.Name, organization, added.Role);
            return (added, null);
        }
        // Lost a race with the same person's other sign-in: that one linked the identity.
        if (await users.FindExternalAsync(issuer, subject.Value, cancellationToken) is { } raced)
            return (raced, null);
        return Refuse(OpenIdRefusal.NameTaken, subject.Value);
    }

    private (UserRecord?, OpenIdRefusal?) Refuse(OpenIdRefusal refusal, string subject)
    {
        Log.OpenIdRefused(logger, subject, OpenIdRefusals.Word(refusal));
        return (null, refusal);
    }
}
