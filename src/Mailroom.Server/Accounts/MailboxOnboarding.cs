using Mailroom.Connectors.Auth;
using Mailroom.Connectors.Discovery;
using Mailroom.Connectors.GmailApi;
using Mailroom.Connectors.Graph;
using Mailroom.Connectors.Imap;
using Mailroom.Connectors.Pop3;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Contacts;
using Mailroom.Core.Storage;

namespace Mailroom.Server.Accounts;

/// <summary>
/// The one way a mailbox is added, by <c>mailroom account add</c>, <c>POST /v1/mailboxes</c> and the OAuth callback:
/// validate the request, discover the servers when only an address is given, log in (and to SMTP) before anything is
/// stored, encrypt the secret, save. Expected failures are a result value, which each caller maps to its own terms.
/// </summary>
internal sealed partial class MailboxOnboarding(
    MailDiscovery discovery, DiscoveryOptions discoveryOptions, ImapConnector imap, Pop3Connector pop3, ISmtpConnector smtp, IAccountStore accounts,
    ISecretProtector secrets, MailboxCredentials credentials, GmailApiConnector gmailApi, GmailOptions gmailOptions,
    GraphConnector graph, GraphOptions graphOptions, OAuthClient oauth, Mailroom.Connectors.Ews.EwsConnector ews,
    Mailroom.Connectors.Ews.EwsAutodiscover autodiscover)
{
    private const int MaxNameLength = 200;

    /// <summary>
    /// The checks that need neither the network nor the secret, so that a caller can refuse a request before it asks
    /// for a password; <see cref="AddAsync"/> makes them again. Null when the request is acceptable.
    /// </summary>
    public static OnboardingResult? Validate(OnboardingRequest request) => Parse(request, out _);

    /// <summary>Adds the mailbox, or says why not.</summary>
    public async Task<OnboardingResult> AddAsync(OnboardingRequest request, OnboardingSecret secret, CancellationToken cancellationToken)
    {
        if (Parse(request, out var parsed) is { } invalid)
            return invalid;
        var ca = request.TrustedCaFile is { } file ? Path.GetFullPath(file) : null;
        var (servers, failure) = request.Protocol is MailboxProtocol.GmailApi or MailboxProtocol.Graph ? ProviderApi(request, parsed, secret)
            : request.Protocol == MailboxProtocol.Ews ? await EwsAsync(request, parsed, ca, secret, cancellationToken)
            : request.Host is null ? await DiscoverAsync(request, parsed, ca, cancellationToken)
            : (Explicit(request, parsed, ca), null);
        if (failure is not null)
            return failure;
        var (protocol, settings, smtpSettings, source, found) = servers!.Value;
        settings = settings with { OAuthProvider = secret.OAuthProvider, Address = OwnAddress(request.Address, settings.UserName) };
        // Before any login: a refusal that needs no server should not cost the person one (or an OAuth round).
        var name = request.Name ?? (protocol is MailboxProtocol.GmailApi or MailboxProtocol.Graph ? settings.Address!
            : protocol == MailboxProtocol.Ews && settings.Address is { } own ? own : $"{settings.UserName}@{settings.Host}");
        if (name.Length > MaxNameLength)
            return OnboardingResult.Invalid("name", $"the default name {name} is longer than {MaxNameLength} characters; give a name.");

        if (request.Verify)
        {
            try
            {
                await using var session = await ConnectAsync(protocol, settings, secret.Credential, cancellationToken);
            }
            catch (ConnectorException ex)
            {
                return OnboardingResult.Failed(OnboardingFailure.LoginFailed, ex.Message, found, ex.Kind);
            }
            if (smtpSettings is not null)
            {
                try
                {
                    await using var smtpSession = await smtp.ConnectAsync(smtpSettings, settings.TrustedCaFile, smtpSettings.Security == TransportSecurity.None,
                        secret.SmtpCredential(smtpSettings.UserName ?? settings.UserName), cancellationToken);
                }
                catch (ConnectorException ex)
                {
                    return OnboardingResult.Failed(OnboardingFailure.SmtpLoginFailed, "SMTP: " + ex.Message, found, ex.Kind);
                }
            }
        }

        try
        {
            var record = secret.Tokens is { } tokens
                ? await accounts.AddOAuthMailboxAsync(request.OrganizationId, name, protocol, settings, credentials.Protect(tokens), cancellationToken)
                : await accounts.AddMailboxAsync(request.OrganizationId, name, protocol, settings,
                    secrets.Protect(SecretPurposes.MailboxPassword, secret.Password!), cancellationToken);
            if (smtpSettings is not null)
            {
                await accounts.SetSmtpAsync(record.Id, smtpSettings, cancellationToken);
                record = record with { Smtp = smtpSettings };
            }
            return OnboardingResult.Success(record, source, found);
        }
        catch (InvalidOperationException ex)
        {
            return OnboardingResult.Failed(OnboardingFailure.NameTaken, ex.Message, found);
        }
    }

    /// <summary>
    /// New OAuth2 tokens for a mailbox whose grant was revoked or expired: they must log in before they replace the old
    /// ones; then the mailbox is <see cref="MailboxState.New"/> again, and the supervisor starts its worker.
    /// </summary>
    public async Task<OnboardingResult> ReauthorizeAsync(MailboxRecord mailbox, OAuthTokens tokens, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = await ConnectAsync(mailbox.Protocol, mailbox.Settings, MailboxCredential.OAuth2(tokens.AccessToken), cancellationToken);
        }
        catch (ConnectorException ex)
        {
            return OnboardingResult.Failed(OnboardingFailure.LoginFailed, $"the new token does not log in to {mailbox.Settings.Host}: {ex.Message}", loginError: ex.Kind);
        }
        await accounts.SaveOAuthTokensAsync(mailbox.Id, credentials.Protect(tokens), cancellationToken);
        await accounts.SetMailboxStateAsync(mailbox.Id, MailboxState.New, null, now, cancellationToken);
        return OnboardingResult.Success(mailbox with { State = MailboxState.New, LastError = null }, OnboardingResult.Explicit, null);
    }

    /// <summary>The address given, else the login when it is an address; else none yet (the first sync learns it from Sent).</summary>
    public static string? OwnAddress(string? address, string userName) => TryAddress(address ?? userName, out var own, out _) ? own : null;

    /// <summary>
    /// A mailbox address as stored: checked, lower case, the domain in Unicode, the form messages' addresses are
    /// compared in (so it matches them when candidates and the subject rule leave the mailbox's own address out).
    /// </summary>
    public static bool TryAddress(string text, out string? address, out string? error)
    {
        address = null;
        if (!MailAddress.TryParse(text, out var parsed, out error))
            return false;
        address = ContactAddresses.Normalize(parsed!.Address);
        error = address is null ? $"'{text}' is not an email address." : null;
        return address is not null;
    }

    private async Task<IAsyncDisposable> ConnectAsync(
        MailboxProtocol protocol, MailboxSettings settings, MailboxCredential credential, CancellationToken cancellationToken) => protocol switch
    {
        MailboxProtocol.Imap => await imap.ConnectAsync(settings, credential, cancellationToken),
        MailboxProtocol.Pop3 => await pop3.ConnectAsync(settings, credential, cancellationToken),
        // A token alone (no refresh token to try): a 401 is a refused login.
        MailboxProtocol.GmailApi => await gmailApi.ConnectAsync(0, (_, _) => Task.FromResult(credential.Secret), canRefresh: false, cancellationToken),
        MailboxProtocol.Graph => await VerifiedGraphAsync(credentials.GraphUser(settings), credential, cancellationToken),
        // GetFolder of the inbox: the URL, the credentials and the mailbox all answer, or the refusal says which did not.
        MailboxProtocol.Ews => await ews.ConnectAsync(0, Mailroom.Connectors.Ews.EwsAccount.For(settings, credential.Secret), verify: true, cancellationToken),
        MailboxProtocol.Archive => throw new InvalidOperationException("An archive has no server to log in to."),
    };

    /// <summary>A Graph session whose token has read the folder tree (the first thing a sync needs), or the refusal.</summary>
    private async Task<IGraphSession> VerifiedGraphAsync(string? user, MailboxCredential credential, CancellationToken cancellationToken)
    {
        var session = graph.Open(0, user, (_, _) => Task.FromResult(credential.Secret), canRefresh: false);
        try
        {
            await session.ListFoldersAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private static Servers Explicit(OnboardingRequest request, Parsed parsed, string? ca)
    {
        var settings = new MailboxSettings
        {
            Host = parsed.Host!,
            Port = parsed.Port ?? (request.Protocol == MailboxProtocol.Pop3
                ? MailboxSettings.DefaultPop3Port(request.Security)
                : MailboxSettings.DefaultImapPort(request.Security)),
            UserName = request.UserName ?? request.Address!.Trim(),
            Security = request.Security,
            AllowPlaintext = request.Security == TransportSecurity.None,
            TrustedCaFile = ca,
            Scope = request.Scope,
        };
        return new(request.Protocol, settings, parsed.Smtp, OnboardingResult.Explicit, null);
    }

    private async Task<(Servers? Servers, OnboardingResult? Failure)> DiscoverAsync(OnboardingRequest request, Parsed parsed, string? ca, CancellationToken cancellationToken)
    {
        var result = await discovery.DiscoverAsync(parsed.Address!, cancellationToken);
        if (!result.Found)
            return (null, OnboardingResult.Failed(OnboardingFailure.NotDiscovered, $"no working IMAP or POP3 settings found for {result.Domain}.", result));
        var (server, protocol) = result.Imap is { } i ? (i, MailboxProtocol.Imap) : (result.Pop3!, MailboxProtocol.Pop3);
        if (request.Scope == MailboxScope.Contacts && protocol != MailboxProtocol.Imap)
            return (null, ScopeNeedsImap());
        var c = server.Candidate;
        // The CA that let discovery verify the server is the one the login needs too.
        ca ??= discoveryOptions.TrustedCaFile is { Length: > 0 } operatorCa ? Path.GetFullPath(operatorCa) : null;
        var settings = new MailboxSettings
        {
            Host = c.Host,
            Port = c.Port,
            UserName = request.UserName ?? c.UserName,
            Security = c.Security,
            TrustedCaFile = ca,
            Scope = request.Scope,
        };
        var smtpSettings = parsed.Smtp ?? (result.Smtp is { Connected: true } s
            ? new SmtpSettings { Host = s.Candidate.Host, Port = s.Candidate.Port, Security = s.Candidate.Security, UserName = request.UserName }
            : null);
        return (new(protocol, settings, smtpSettings, EnumWords.Of(result.Winner!.Value), result), null);
    }

    /// <summary>The checks of <see cref="Validate"/>, keeping what they parsed for <see cref="AddAsync"/>.</summary>
    private static OnboardingResult? Parse(OnboardingRequest request, out Parsed parsed)
    {
        parsed = default;
        if (request.Protocol == MailboxProtocol.Archive)
            return OnboardingResult.Invalid("protocol", "the protocol must be imap, pop3, gmail-api, graph or ews (archives are made by import).");
        if (request.Protocol is MailboxProtocol.GmailApi or MailboxProtocol.Graph)
            return ParseProviderApi(request, out parsed);
        if (request.Protocol == MailboxProtocol.Ews)
            return ParseEws(request, out parsed);
        MailAddress? address = null;
        if (request.Address is { } text && !MailAddress.TryParse(text, out address, out var addressError))
            return OnboardingResult.Invalid("address", addressError!);
        if (InvalidName(request.Name) is { } badName)
            return badName;
        if (request.TrustedCaFile is { } ca && !File.Exists(ca))
            return OnboardingResult.Failed(OnboardingFailure.FileNotFound, $"no such CA file: {Path.GetFullPath(ca)}");

        string? host = null;
        int? port = null;
        if (request.Host is null)
        {
            if (address is null)
                return OnboardingResult.Invalid("address", "give an address (the servers are discovered from it) or a host (explicit settings).");
        }
        else
        {
            if (!TryServer(request.Host, request.Port, "host", "port", out var h, out port, out var serverError))
                return serverError;
            host = h;
            if (string.IsNullOrWhiteSpace(request.UserName ?? request.Address))
                return OnboardingResult.Invalid("userName", "a login is required with a host (the address is used when there is one).");
            if (request.Security == TransportSecurity.None && !request.AllowPlaintext)
                return OnboardingResult.Invalid("allowPlaintext", "security none sends the password in clear text; allow plaintext to use it for this mailbox.");
            if (request.Scope == MailboxScope.Contacts && request.Protocol != MailboxProtocol.Imap)
                return ScopeNeedsImap();
        }

        SmtpSettings? smtpSettings = null;
        if (request.Smtp is { } s)
        {
            if (!TryServer(s.Host, s.Port, "smtp.host", "smtp.port", out var smtpHost, out var smtpPort, out var smtpError))
                return smtpError;
            var security = s.Security ?? request.Security;
            if (security == TransportSecurity.None && !request.AllowPlaintext)
                return OnboardingResult.Invalid("allowPlaintext", "smtp security none sends the password in clear text; allow plaintext to use it for this mailbox.");
            smtpSettings = new SmtpSettings { Host = smtpHost, Port = smtpPort ?? SmtpSettings.DefaultPort(security), Security = security, UserName = s.UserName };
        }
        parsed = new Parsed(address, host, port, smtpSettings, null);
        return null;
    }

    private static OnboardingResult? InvalidName(string? name) => name is { Length: 0 or > MaxNameLength }
        ? OnboardingResult.Invalid("name", $"the name must be 1 to {MaxNameLength} characters.")
        : null;

    private static bool TryServer(string text, int? port, string hostField, string portField, out string host, out int? chosen, out OnboardingResult? error)
    {
        chosen = null;
        error = null;
        if (!HostAndPort.TryParse(text, out host, out var inline, out var hostError))
            error = OnboardingResult.Invalid(hostField, hostError!);
        else if (inline is not null && port is not null && inline != port)
            error = OnboardingResult.Invalid(portField, $"two ports given ({inline} in the host, {port} apart); give one.");
        else if (port is < 1 or > 65535)
            error = OnboardingResult.Invalid(portField, "the port must be between 1 and 65535.");
        else
            chosen = port ?? inline;
        return error is null;
    }

    private static OnboardingResult ScopeNeedsImap() => OnboardingResult.Invalid("scope",
        "scope contacts needs IMAP (fetching a new contact's mail later searches the server); POP3 mailboxes keep everything.");

    private readonly record struct Servers(
        MailboxProtocol Protocol, MailboxSettings Settings, SmtpSettings? Smtp, string Source, DiscoveryResult? Discovery);

    /// <summary>
    /// The request's texts as <see cref="Parse"/> read them, so that nothing is parsed twice: the address to discover
    /// from, the explicit server, the SMTP server, and (for a provider API) the mailbox's own address.
    /// </summary>
    private readonly record struct Parsed(MailAddress? Address, string? Host, int? Port, SmtpSettings? Smtp, string? OwnAddress);
}
