using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Server.Accounts;
using Mailroom.Server.Api.V1;

namespace Mailroom.Server.Api;

/// <summary>
/// The web side of OAuth2 (authorization code with PKCE) in <c>mailroom serve</c>:
/// <c>GET /oauth/start</c> redirects to the provider, <c>GET /oauth/callback</c> completes the authorization,
/// checks that the token logs in, and then either re-authorizes an existing mailbox (<c>mailbox=ID</c>; its worker
/// starts again) or adds a new IMAP account (<c>user</c>, <c>imap=HOST[:PORT]</c>, <c>security=tls|starttls</c>, optionally
/// <c>address</c> and <c>name</c>) through <see cref="MailboxOnboarding"/>, like any other new mailbox.
/// </summary>
internal static class OAuthApi
{
    private const string CallbackPath = "/oauth/callback";

    public static void Map(WebApplication app)
    {
        app.MapGet("/oauth/start", StartAsync);
        app.MapGet(CallbackPath, CallbackAsync);
    }

    private static async Task<IResult> StartAsync(
        HttpRequest request, AuthorizationCodeFlow flow, IAccountStore accounts, OAuthOptions options, CancellationToken cancellationToken,
        string? provider = null, string? user = null, string? imap = null, string? security = null, long? mailbox = null, string? name = null,
        string? address = null, string? protocol = null)
    {
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        string? loginHint = user;
        if (mailbox is { } id)
        {
            var record = await accounts.FindMailboxAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            if (record?.Settings.OAuthProvider is not { } recordProvider)
                return TypedResults.Problem($"No OAuth mailbox {id}.", statusCode: StatusCodes.Status404NotFound);
            provider = recordProvider;
            loginHint = record.Settings.UserName;
            context["mailbox"] = record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (record.Protocol == MailboxProtocol.GmailApi)
                context[OAuthEndpoints.ProtocolKey] = OAuthEndpoints.GmailApiProtocol;
        }
        else if (protocol == OAuthEndpoints.GmailApiProtocol)
        {
            // A Gmail API mailbox: the address and the grant, no server (the API asks for gmail.readonly and gmail.send only).
            if (provider is null || user is null)
                return TypedResults.Problem("Give provider and user (the address) for protocol=gmail-api.", statusCode: StatusCodes.Status400BadRequest);
            var wanted = new OnboardingRequest { OrganizationId = 0, Protocol = MailboxProtocol.GmailApi, Address = address ?? user, Name = name };
            if (MailboxOnboarding.Validate(wanted) is { } invalid)
                return OnboardingProblems.For(invalid);
            context[OAuthEndpoints.ProtocolKey] = OAuthEndpoints.GmailApiProtocol;
            context["user"] = user;
            if (address is not null)
                context["address"] = address;
            if (name is not null)
                context["name"] = name;
        }
        else
        {
            if (provider is null || user is null || imap is null)
                return TypedResults.Problem("Give provider, user and imap=HOST[:PORT] (a new account), or mailbox=ID (authorize again).",
                    statusCode: StatusCodes.Status400BadRequest);
            var wanted = new OnboardingRequest
            {
                OrganizationId = 0,
                Host = imap,
                Security = EnumWords.TryParse<TransportSecurity>(security ?? "tls", out var s) ? s : TransportSecurity.None,
                UserName = user,
                Address = address,
                Name = name,
            };
            // Refuse what cannot work before the person is sent to the provider; plaintext is never offered here.
            if (wanted.Security == TransportSecurity.None)
                return TypedResults.Problem("security must be tls or starttls.", statusCode: StatusCodes.Status400BadRequest);
            if (MailboxOnboarding.Validate(wanted) is { } invalid)
                return OnboardingProblems.For(invalid);
            context["user"] = user;
            context["imap"] = imap;
            context["security"] = EnumWords.Of(wanted.Security);
            if (address is not null)
                context["address"] = address;
            if (name is not null)
                context["name"] = name;
        }

        var redirect = new Uri(options.RedirectUri is { Length: > 0 } configured
            ? configured
            : $"{request.Scheme}://{request.Host}{request.PathBase}{CallbackPath}");
        try
        {
            var authorize = await flow.StartAsync(provider, redirect, loginHint, context, cancellationToken);
            return TypedResults.Redirect(authorize.ToString());
        }
        catch (ConnectorException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<IResult> CallbackAsync(
        AuthorizationCodeFlow flow, IAccountStore accounts, MailboxOnboarding onboarding, DiscoveryOptions discoveryOptions, TimeProvider time,
        CancellationToken cancellationToken, string? state = null, string? code = null, string? error = null, string? error_description = null)
    {
        if (state is null)
            return TypedResults.Problem("The callback has no state.", statusCode: StatusCodes.Status400BadRequest);
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
            return TypedResults.Problem("Unknown, used or expired state: start again at /oauth/start.", statusCode: StatusCodes.Status400BadRequest);
        if (done.Result.Tokens is not { } tokens)
            return TypedResults.Problem($"The provider refused the code: {done.Result.Error} {done.Result.ErrorDescription}".TrimEnd(),
                statusCode: StatusCodes.Status400BadRequest);

        var context = done.Request.Context;
        OnboardingResult result;
        bool reauthorized = context.TryGetValue("mailbox", out var mailboxId);
        if (reauthorized)
        {
            var existing = await accounts.FindMailboxAsync(mailboxId!, cancellationToken);
            if (existing is null)
                return TypedResults.Problem($"Mailbox {mailboxId} was removed meanwhile.", statusCode: StatusCodes.Status404NotFound);
            result = await onboarding.ReauthorizeAsync(existing, tokens, time.GetUtcNow(), cancellationToken);
        }
        else if (context.TryGetValue(OAuthEndpoints.ProtocolKey, out var protocol) && protocol == OAuthEndpoints.GmailApiProtocol)
        {
            result = await onboarding.AddAsync(new OnboardingRequest
            {
                OrganizationId = await accounts.EnsureOrganizationAsync("default", cancellationToken),
                Protocol = MailboxProtocol.GmailApi,
                Address = context.GetValueOrDefault("address") ?? context["user"],
                Name = context.GetValueOrDefault("name"),
            }, OnboardingSecret.FromOAuth(done.Request.Provider, tokens), cancellationToken);
        }
        else
        {
            // The token must log in before anything is stored: onboarding checks it, as for any new mailbox.
            result = await onboarding.AddAsync(new OnboardingRequest
            {
                OrganizationId = await accounts.EnsureOrganizationAsync("default", cancellationToken),
                Host = context["imap"],
                Security = EnumWords.TryParse<TransportSecurity>(context["security"], out var security) ? security : TransportSecurity.Tls,
                UserName = context["user"],
                Address = context.GetValueOrDefault("address"),
                Name = context.GetValueOrDefault("name"),
                // As for the API: a CA for self-hosted servers is the operator's, never a path from the request.
                TrustedCaFile = discoveryOptions.TrustedCaFile is { Length: > 0 } ca ? ca : null,
            }, OnboardingSecret.FromOAuth(done.Request.Provider, tokens), cancellationToken);
        }
        return result.Mailbox is { } record
            ? TypedResults.Ok(new { mailbox = record.Id, name = record.Name, address = record.Settings.Address, state = record.State, reauthorized })
            : OnboardingProblems.For(result);
    }
}
