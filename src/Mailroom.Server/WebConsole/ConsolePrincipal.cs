using System.Globalization;
using System.Security.Claims;
using Mailroom.Server.Api.V1;

namespace Mailroom.Server.WebConsole;

/// <summary>
/// A signed-in console user: the cookie's principal carries the user's id, name, role and organization. The
/// organization is the same claim an API key gives (<see cref="ApiPrincipal.OrganizationClaim"/>), so every query the
/// console makes through the API's services is scoped the same way. (The folder is WebConsole, not Console, because a
/// Mailroom.Server.Console namespace would hide System.Console from the CLI.)
/// </summary>
internal static class ConsolePrincipal
{
    /// <summary>The cookie authentication scheme of the console.</summary>
    public const string Scheme = "Console";

    /// <summary>The policy every console page requires.</summary>
    public const string Policy = "mailroom-console";

    /// <summary>The policy of pages that manage users, API keys and webhooks.</summary>
    public const string AdminPolicy = "mailroom-console-admin";

    public const string UserIdClaim = "mailroom:user";
    public const string StampClaim = "mailroom:stamp";

    public static ClaimsPrincipal For(long userId, string name, long organizationId, string role, string stamp) => new(new ClaimsIdentity(
        [
            new Claim(UserIdClaim, userId.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            new Claim(ClaimTypes.Name, name),
            new Claim(ClaimTypes.Role, role),
            new Claim(ApiPrincipal.OrganizationClaim, organizationId.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            new Claim(StampClaim, stamp),
        ], Scheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>The user's id; null when the principal is not a console user.</summary>
    public static long? UserId(this ClaimsPrincipal principal) =>
        principal.FindFirst(UserIdClaim)?.Value is { } value && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
