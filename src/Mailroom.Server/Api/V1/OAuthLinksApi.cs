using System.Security.Claims;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// <c>POST /v1/oauth/links</c>: a one-time, expiring URL that starts an OAuth connection for the key's organization.
/// The application hands it to its user, who opens it in a browser, authorizes at the provider, and the mailbox is
/// added (or authorized again). The request is checked now, so a link never sends anyone to a provider in vain.
/// </summary>
internal static class OAuthLinksApi
{
    public static RouteGroupBuilder MapOAuthLinks(this RouteGroupBuilder v1)
    {
        v1.MapPost("/oauth/links", CreateAsync).WithTags("OAuth").WithName("CreateOAuthLink")
            .WithSummary("A one-time link (valid for expiresInMinutes, default 60, at most 1440) that starts an OAuth connection: "
                + "a new IMAP mailbox (provider, user, imap, security, address, name), a Gmail API or Graph mailbox (protocol=gmail-api or graph, "
                + "provider, user, address, name) or mailbox=ID to authorize it again.")
            .Produces<OAuthLinkJson>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<Results<Created<OAuthLinkJson>, ProblemHttpResult>> CreateAsync(
        OAuthLinkRequest request, HttpRequest http, ClaimsPrincipal user, OrganizationQueries queries, OAuthLinks links, CancellationToken cancellationToken)
    {
        var lifetime = request.ExpiresInMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : OAuthLinks.DefaultLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > OAuthLinks.MaxLifetime)
            return Problems.BadRequest("expiresInMinutes must be between 1 and 1440.");
        var connection = new OAuthConnection
        {
            Provider = request.Provider, User = request.User, Imap = request.Imap, Security = request.Security,
            Address = request.Address, Name = request.Name, Mailbox = request.Mailbox, Protocol = request.Protocol,
        };
        var (_, problem) = await connection.PrepareAsync(user.OrganizationId(), queries, cancellationToken);
        if (problem is not null)
            return problem;
        var (token, expires) = links.Create(user.OrganizationId(), connection, lifetime);
        var url = $"{http.Scheme}://{http.Host}{http.PathBase}/oauth/start?link={Uri.EscapeDataString(token)}";
        return TypedResults.Created((string?)null, new OAuthLinkJson(url, expires));
    }
}
