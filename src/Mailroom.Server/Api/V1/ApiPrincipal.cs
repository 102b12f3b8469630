using System.Globalization;
using System.Security.Claims;

namespace Mailroom.Server.Api.V1;

/// <summary>The organization an authenticated API caller acts for (set by the API's authentication).</summary>
internal static class ApiPrincipal
{
    public const string OrganizationClaim = "mailroom:org";

    public static long OrganizationId(this ClaimsPrincipal user) =>
        user.FindFirst(OrganizationClaim) is { } claim && long.TryParse(claim.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new InvalidOperationException("The request is not authenticated for an organization.");
}
