using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Server.Accounts;
using Mailroom.Server.Api.V1;
using Mailroom.Server.WebConsole;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Keys = Mailroom.Server.Api.OAuthConnection.ContextKeys;

namespace Mailroom.Server.Api;

/// <summary>
/// The web side of OAuth2 (authorization code with PKCE) in <c>mailroom serve</c>. <c>GET /oauth/start</c> redirects to
/// the provider, and only for someone Mailroom knows: a signed-in console user (with <see cref="OAuthConnection"/>'s
/// parameters), or the holder of a one-time link made by an API key (<c>link=TOKEN</c>, <see cref="OAuthLinks"/>).
/// Anyone else gets 401. The state is bound to who started it (the organization, the user or link) and to the browser
/// (a cookie); <c>GET /oauth/callback</c> checks both before the code is exchanged, checks that the token logs in, and
/// then adds the mailbox (IMAP, Gmail API or Graph) to that organization through <see cref="MailboxOnboarding"/> or authorizes an existing
/// one again (its worker starts again).
/// </summary>
internal static class OAuthApi
{
    public const string StartPath = "/oauth/start";
    private const string CallbackPath = "/oauth/callback";
    private const string BindingCookie = "mailroom.oauth";
    private const string StartedByLink = "link";

    public static void Map(WebApplication app)
    {
        app.MapGet(StartPath, StartAsync);
        app.MapGet(CallbackPath, CallbackAsync);
    }

    private static async Task<IResult> StartAsync(
        HttpContext http, AuthorizationCodeFlow flow, OrganizationQueries queries, OAuthLinks links, OAuthOptions options, CancellationToken cancellationToken,
        string? link = null, string? provider = null, string? user = null, string? imap = null, string? security = null, long? mailbox = null,
        string? name = null, string? address = null, string? protocol = null)
    {
        long organizationId;
        string startedBy;
        OAuthConnection connection;
        if (link is not null)
        {
            if (links.Take(link) is not { } taken)
                return Unauthorized("This link is unknown, used or expired: ask the application for a new one.");
            (organizationId, connection, startedBy) = (taken.OrganizationId, taken.Connection, StartedByLink);
        }
        else
        {
            var signedIn = await http.AuthenticateAsync(ConsolePrincipal.Scheme);
            if (signedIn.Principal?.UserId() is not { } userId)
                return Unauthorized("Sign in to the console, or open a link made with POST /v1/oauth/links.");
            organizationId = signedIn.Principal.OrganizationId();
            startedBy = "user:" + userId.ToString(CultureInfo.InvariantCulture);
            // A form leaves its optional fields empty: empty is not given.
            connection = new OAuthConnection
            {
                Provider = Given(provider), User = Given(user), Imap = Given(imap), Security = Given(security), Address = Given(address),
                Name = Given(name), Mailbox = mailbox, Protocol = Given(protocol),
            };
        }

        var (prepared, problem) = await connection.PrepareAsync(organizationId, queries, cancellationToken);
        if (prepared is null)
        {
            // A console user goes back to the form's page and reads why there; a link's holder gets the problem.
            return startedBy == StartedByLink || problem!.StatusCode == StatusCodes.Status404NotFound
                ? problem!
                : ConsoleReturn(null, OAuthNotice.Protect(http, problem.ProblemDetails.Detail ?? "the request was refused"));
        }
        var binding = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var context = new Dictionary<string, string>(prepared.Context, StringComparer.Ordinal)
        {
            [Keys.StartedBy] = startedBy,
            [Keys.Binding] = binding,
        };
        var request = http.Request;
        var redirect = new Uri(options.RedirectUri is { Length: > 0 } configured
            ? configured
            : $"{request.Scheme}://{request.Host}{request.PathBase}{CallbackPath}");
        Uri authorize;
        try
        {
            authorize = await flow.StartAsync(prepared.Provider, redirect, prepared.LoginHint, context, cancellationToken);
        }
        catch (ConnectorException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
        // Lax, so that it comes back with the provider's top-level redirect to the callback; only the callback reads it.
        http.Response.Cookies.Append(BindingCookie, binding, new CookieOptions
        {
            HttpOnly = true, Secure = request.IsHttps, SameSite = SameSiteMode.Lax, Path = CallbackPath, MaxAge = options.AuthorizationLifetime,
        });
        return TypedResults.Redirect(authorize.ToString());
    }

    private static async Task<IResult> CallbackAsync(
        HttpContext http, AuthorizationCodeFlow flow, IAccountStore accounts, MailboxOnboarding onboarding, DiscoveryOptions discoveryOptions,
        TimeProvider time, CancellationToken cancellationToken, string? state = null, string? code = null, string? error = null,
        string? error_description = null)
    {
        if (state is null)
            return TypedResults.Problem("The callback has no state.", statusCode: StatusCodes.Status400BadRequest);
        if (flow.Find(state) is not { } pending)
            return TypedResults.Problem("Unknown, used or expired state: start again.", statusCode: StatusCodes.Status400BadRequest);
        // The state alone is not enough: it must come back to the browser, and the user, that started it. Otherwise a
        // link or a state sent to someone else would let them finish another person's connection.
        if (!SameBinding(http.Request.Cookies[BindingCookie], pending.Context[Keys.Binding]))
            return TypedResults.Problem("This authorization was started in another browser: start again.", statusCode: StatusCodes.Status400BadRequest);
        var startedBy = pending.Context[Keys.StartedBy];
        if (startedBy != StartedByLink)
        {
            var signedIn = await http.AuthenticateAsync(ConsolePrincipal.Scheme);
            if ("user:" + signedIn.Principal?.UserId()?.ToString(CultureInfo.InvariantCulture) != startedBy)
                return Unauthorized("Sign in as the user who started this connection.");
        }
        http.Response.Cookies.Delete(BindingCookie, new CookieOptions { Path = CallbackPath });
        if (error is not null || code is null)
        {
            flow.Abandon(state);
            return TypedResults.Problem($"The provider did not authorize Mailroom: {error} {error_description}".TrimEnd(),
                statusCode: StatusCodes.Status400BadRequest);
        }

        (PendingAuthorization Request, OAuthTokenResult Result)? completed;
        try
        {
            completed = await flow.CompleteAsync(state, code, cancellationToken);
        }
        catch (ConnectorException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
        if (completed is not { } done)
            return TypedResults.Problem("Unknown, used or expired state: start again.", statusCode: StatusCodes.Status400BadRequest);
        if (done.Result.Tokens is not { } tokens)
            return TypedResults.Problem($"The provider refused the code: {done.Result.Error} {done.Result.ErrorDescription}".TrimEnd(),
                statusCode: StatusCodes.Status400BadRequest);

        var context = done.Request.Context;
        var organizationId = long.Parse(context[Keys.Organization], NumberStyles.None, CultureInfo.InvariantCulture);
        OnboardingResult result;
        bool reauthorized = context.TryGetValue(Keys.Mailbox, out var mailboxId);
        if (reauthorized)
        {
            var existing = await accounts.FindMailboxAsync(mailboxId!, cancellationToken);
            if (existing is null || existing.OrganizationId != organizationId)
                return TypedResults.Problem($"Mailbox {mailboxId} was removed meanwhile.", statusCode: StatusCodes.Status404NotFound);
            result = await onboarding.ReauthorizeAsync(existing, tokens, time.GetUtcNow(), cancellationToken);
        }
        else
        {
            // The token must log in before anything is stored: onboarding checks it, as for any new mailbox. As for the
            // API, a CA for self-hosted servers is the operator's, never a path from the request.
            var request = OAuthConnection.RequestFrom(context, discoveryOptions.TrustedCaFile is { Length: > 0 } ca ? ca : null);
            result = await onboarding.AddAsync(request, OnboardingSecret.FromOAuth(done.Request.Provider, tokens), cancellationToken);
        }
        if (result.Mailbox is not { } record)
            return startedBy == StartedByLink ? OnboardingProblems.For(result) : ConsoleReturn(null, OAuthNotice.Protect(http, result.Error ?? "the mailbox was not added"));
        return startedBy == StartedByLink
            ? TypedResults.Ok(new { mailbox = record.Id, name = record.Name, address = record.Settings.Address, state = record.State, reauthorized })
            : ConsoleReturn(record.Id, null);
    }

    // A console user comes back to the console: the mailbox's page, or the mailboxes page with what went wrong (protected,
    // so that nobody can send a link that makes the console show words of their choosing).
    private static RedirectHttpResult ConsoleReturn(long? mailboxId, string? protectedError) => mailboxId is { } id
        ? TypedResults.LocalRedirect($"/mailboxes/{id.ToString(CultureInfo.InvariantCulture)}?connected=1")
        : TypedResults.LocalRedirect("/mailboxes?oauthError=" + Uri.EscapeDataString(protectedError!));

    private static string? Given(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool SameBinding(string? cookie, string expected) =>
        cookie is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(expected));

    private static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);
}
