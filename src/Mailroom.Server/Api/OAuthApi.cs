using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Imap;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Server.Cli;

namespace Mailroom.Server.Api;

/// <summary>
/// The web side of OAuth2 (authorization code with PKCE) in <c>mailroom serve</c>:
/// <c>GET /oauth/start</c> redirects to the provider, <c>GET /oauth/callback</c> completes the authorization,
/// checks that the token logs in, and then either re-authorizes an existing mailbox (<c>mailbox=ID</c>; its worker
/// starts again) or adds a new IMAP account (<c>user</c>, <c>imap=HOST[:PORT]</c>, <c>security=tls|starttls</c>).
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
        string? provider = null, string? user = null, string? imap = null, string? security = null, long? mailbox = null, string? name = null)
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
        }
        else
        {
            if (provider is null || user is null || imap is null)
                return TypedResults.Problem("Give provider, user and imap=HOST[:PORT] (a new account), or mailbox=ID (authorize again).",
                    statusCode: StatusCodes.Status400BadRequest);
            if (!HostAndPort.TryParse(imap, out _, out _, out var hostError))
                return TypedResults.Problem(hostError, statusCode: StatusCodes.Status400BadRequest);
            if (security is not (null or "tls" or "starttls"))
                return TypedResults.Problem("security must be tls or starttls.", statusCode: StatusCodes.Status400BadRequest);
            context["user"] = user;
            context["imap"] = imap;
            context["security"] = security ?? "tls";
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
        AuthorizationCodeFlow flow, IAccountStore accounts, MailboxCredentials credentials, ImapConnector imap, TimeProvider time,
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
        MailboxRecord? existing = null;
        MailboxSettings settings;
        if (context.TryGetValue("mailbox", out var mailboxId))
        {
            existing = await accounts.FindMailboxAsync(mailboxId, cancellationToken);
            if (existing is null)
                return TypedResults.Problem($"Mailbox {mailboxId} was removed meanwhile.", statusCode: StatusCodes.Status404NotFound);
            settings = existing.Settings;
        }
        else
        {
            if (!HostAndPort.TryParse(context["imap"], out var host, out var port, out var hostError))
                return TypedResults.Problem(hostError, statusCode: StatusCodes.Status400BadRequest);
            var security = context["security"] == "starttls" ? TransportSecurity.StartTls : TransportSecurity.Tls;
            settings = new MailboxSettings
            {
                Host = host,
                Port = port ?? MailboxSettings.DefaultImapPort(security),
                UserName = context["user"],
                Security = security,
                OAuthProvider = done.Request.Provider,
            };
        }

        try
        {
            // The token must log in before anything is stored.
            await using var session = await imap.ConnectAsync(settings, MailboxCredential.OAuth2(tokens.AccessToken), cancellationToken);
        }
        catch (ConnectorException ex)
        {
            return TypedResults.Problem($"The new token does not log in to {settings.Host}: {ex.Message}", statusCode: StatusCodes.Status502BadGateway);
        }

        var stored = credentials.Protect(tokens);
        if (existing is not null)
        {
            await accounts.SaveOAuthTokensAsync(existing.Id, stored, cancellationToken);
            // "new" again: the supervisor starts the mailbox's worker once more.
            await accounts.SetMailboxStateAsync(existing.Id, MailboxState.New, null, time.GetUtcNow(), cancellationToken);
            return TypedResults.Ok(new { mailbox = existing.Id, name = existing.Name, state = MailboxState.New, reauthorized = true });
        }

        var org = await accounts.EnsureOrganizationAsync("default", cancellationToken);
        var accountName = context.TryGetValue("name", out var n) ? n : $"{settings.UserName}@{settings.Host}";
        try
        {
            var record = await accounts.AddOAuthMailboxAsync(org, accountName, MailboxProtocol.Imap, settings, stored, cancellationToken);
            return TypedResults.Ok(new { mailbox = record.Id, name = record.Name, state = record.State, reauthorized = false });
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }
}
