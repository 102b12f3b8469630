using Mailroom.Connectors.Discovery;
using Mailroom.Connectors.Imap;
using Mailroom.Connectors.Pop3;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Server.Cli;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// Adds a mailbox for the API the way <c>mailroom account add</c> does: settings from discovery or from the request,
/// the login checked before anything is stored, the password encrypted. A CA to trust for self-hosted servers is the
/// operator's (<c>Discovery:TrustedCaFile</c>), never a path from the request.
/// </summary>
internal sealed class MailboxProvisioner(
    MailDiscovery discovery, DiscoveryOptions discoveryOptions, ImapConnector imap, Pop3Connector pop3, ISmtpConnector smtp,
    IAccountStore accounts, ISecretProtector secrets)
{
    public async Task<IResult> CreateAsync(long organizationId, CreateMailboxRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Password))
            return Problems.BadRequest("password is required (OAuth2 mailboxes are added through GET /oauth/start).");
        if (!TryScope(request.Scope, out var scope))
            return Problems.BadRequest("scope must be all or contacts.");
        var ca = discoveryOptions.TrustedCaFile is { Length: > 0 } file ? Path.GetFullPath(file) : null;

        MailboxSettings settings;
        MailboxProtocol protocol;
        string source;
        SmtpSettings? smtpSettings = null;
        if (request.Host is null)
        {
            if (request.Address is null)
                return Problems.BadRequest("give an address (the servers are discovered from it) or host (explicit settings).");
            if (!MailAddress.TryParse(request.Address, out var address, out var error))
                return Problems.BadRequest(error!);
            var result = await discovery.DiscoverAsync(address!, cancellationToken);
            if (!result.Found)
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Settings not found",
                    detail: $"No working IMAP or POP3 settings found for {result.Domain}; give host, port and security.");
            var (server, found) = result.Imap is { } i ? (i, MailboxProtocol.Imap) : (result.Pop3!, MailboxProtocol.Pop3);
            protocol = found;
            source = result.Winner.ToString()!.ToLowerInvariant();
            settings = new MailboxSettings
            {
                Host = server.Candidate.Host,
                Port = server.Candidate.Port,
                UserName = request.UserName ?? server.Candidate.UserName,
                Security = server.Candidate.Security,
                TrustedCaFile = ca,
                Scope = scope,
            };
            if (result.Smtp is { Connected: true } s && request.Smtp is null)
                smtpSettings = new SmtpSettings { Host = s.Candidate.Host, Port = s.Candidate.Port, Security = s.Candidate.Security, UserName = request.UserName };
        }
        else
        {
            if (!EnumWords.TryParse(request.Protocol ?? EnumWords.Of(MailboxProtocol.Imap), out protocol) || protocol == MailboxProtocol.Archive)
                return Problems.BadRequest("protocol must be imap or pop3.");
            if (!TrySecurity(request.Security, out var security))
                return Problems.BadRequest("security must be tls, starttls or none.");
            if (security == TransportSecurity.None && !request.AllowPlaintext)
                return Problems.BadRequest("security none sends the password in clear text; set allowPlaintext to allow it for this mailbox.");
            if (request.Port is < 1 or > 65535)
                return Problems.BadRequest("port must be between 1 and 65535.");
            if (!HostAndPort.TryParse(request.Host, out var host, out var inlinePort, out var hostError) || inlinePort is not null)
                return Problems.BadRequest(hostError ?? "host must be a host name or address, with the port in port.");
            var userName = request.UserName ?? request.Address;
            if (string.IsNullOrWhiteSpace(userName))
                return Problems.BadRequest("userName (or address) is required with host.");
            source = "explicit";
            settings = new MailboxSettings
            {
                Host = host,
                Port = request.Port ?? (protocol == MailboxProtocol.Imap ? MailboxSettings.DefaultImapPort(security) : MailboxSettings.DefaultPop3Port(security)),
                UserName = userName,
                Security = security,
                AllowPlaintext = security == TransportSecurity.None,
                TrustedCaFile = ca,
                Scope = scope,
            };
        }
        if (protocol != MailboxProtocol.Imap && settings.Scope == MailboxScope.Contacts)
            return Problems.BadRequest("scope contacts needs IMAP; POP3 mailboxes keep everything.");

        if (request.Smtp is { } wanted)
        {
            if (!TrySecurity(wanted.Security ?? request.Security, out var s))
                return Problems.BadRequest("smtp.security must be tls, starttls or none.");
            if (s == TransportSecurity.None && !request.AllowPlaintext)
                return Problems.BadRequest("smtp.security none sends the password in clear text; set allowPlaintext to allow it.");
            if (!HostAndPort.TryParse(wanted.Host, out var smtpHost, out var inlinePort, out var smtpError) || inlinePort is not null)
                return Problems.BadRequest(smtpError ?? "smtp.host must be a host name or address, with the port in smtp.port.");
            if (wanted.Port is < 1 or > 65535)
                return Problems.BadRequest("smtp.port must be between 1 and 65535.");
            smtpSettings = new SmtpSettings { Host = smtpHost, Port = wanted.Port ?? SmtpSettings.DefaultPort(s), Security = s, UserName = wanted.UserName };
        }

        if (request.Verify ?? true)
        {
            try
            {
                var credential = MailboxCredential.Password(request.Password);
                await using IAsyncDisposable session = protocol == MailboxProtocol.Imap
                    ? await imap.ConnectAsync(settings, credential, cancellationToken)
                    : await pop3.ConnectAsync(settings, credential, cancellationToken);
                if (smtpSettings is not null)
                {
                    await using var smtpSession = await smtp.ConnectAsync(smtpSettings, ca, smtpSettings.Security == TransportSecurity.None,
                        new SmtpCredential(smtpSettings.UserName ?? settings.UserName, request.Password), cancellationToken);
                }
            }
            catch (ConnectorException ex)
            {
                return ex.Kind is ConnectorErrorKind.AuthenticationFailed or ConnectorErrorKind.Misconfigured
                    ? TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Login failed", detail: ex.Message)
                    : Problems.BadGateway(ex.Message);
            }
        }

        var name = request.Name ?? $"{settings.UserName}@{settings.Host}";
        if (name.Length is 0 or > 200)
            return Problems.BadRequest("name must be 1 to 200 characters.");
        try
        {
            var record = await accounts.AddMailboxAsync(organizationId, name, protocol, settings,
                secrets.Protect(SecretPurposes.MailboxPassword, request.Password), cancellationToken);
            if (smtpSettings is not null)
            {
                await accounts.SetSmtpAsync(record.Id, smtpSettings, cancellationToken);
                record = record with { Smtp = smtpSettings };
            }
            return TypedResults.Created($"/v1/mailboxes/{record.Id}", new CreatedMailboxJson(MailboxJson.From(record), source));
        }
        catch (InvalidOperationException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    private static bool TryScope(string? text, out MailboxScope scope)
    {
        scope = MailboxScope.All;
        switch (text?.ToLowerInvariant())
        {
            case null or "all": return true;
            case "contacts": scope = MailboxScope.Contacts; return true;
            default: return false;
        }
    }

    private static bool TrySecurity(string? text, out TransportSecurity security)
    {
        security = TransportSecurity.Tls;
        switch (text?.ToLowerInvariant())
        {
            case null or "tls": return true;
            case "starttls": security = TransportSecurity.StartTls; return true;
            case "none": security = TransportSecurity.None; return true;
            default: return false;
        }
    }
}
