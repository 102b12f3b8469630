using System.Globalization;
using System.Security.Claims;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// Who is calling the /v1 API: an API key authenticates an organization, and every query is scoped by it. Endpoints
/// read the organization with <see cref="OrganizationId"/>.
/// </summary>
internal static class ApiPrincipal
{
    /// <summary>The authentication scheme of API keys (<c>Authorization: Bearer mr_...</c>).</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The claim that holds the organization id (a long, invariant digits).</summary>
    public const string OrganizationClaim = "mailroom:org";

    /// <summary>The authorization policy every /v1 endpoint requires.</summary>
    public const string Policy = "mailroom-api";

    /// <summary>The caller's organization. Throws when the principal was not authenticated by an API key.</summary>
    public static long OrganizationId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var value = principal.FindFirst(OrganizationClaim)?.Value
            ?? throw new InvalidOperationException("The caller was not authenticated with an API key.");
        return long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public static ClaimsPrincipal For(long organizationId) => new(new ClaimsIdentity(
        [new Claim(OrganizationClaim, organizationId.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64)], Scheme));
}
