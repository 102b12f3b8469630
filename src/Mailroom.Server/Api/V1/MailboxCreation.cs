using Mailroom.Connectors.Discovery;
using Mailroom.Core.Accounts;
using Mailroom.Server.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// <c>POST /v1/mailboxes</c>: the request's words to an <see cref="OnboardingRequest"/>, and the result to 201 or a problem.
/// A CA to trust for self-hosted servers is the operator's (<c>Discovery:TrustedCaFile</c>), never a path from the request.
/// </summary>
internal static class MailboxCreation
{
    public static async Task<IResult> CreateAsync(
        long organizationId, CreateMailboxRequest request, MailboxOnboarding onboarding, DiscoveryOptions discoveryOptions,
        CancellationToken cancellationToken)
    {
        if (EnumWords.TryParse<MailboxProtocol>(request.Protocol, out var graph) && graph == MailboxProtocol.Graph
            && request.OAuth is { } provider && onboarding.UsesApplicationPermissions(provider))
        {
            // Application permissions (a client credential for the tenant): no owner to ask, the address chooses the mailbox.
            if (request.Password is not null || request.Host is not null || request.Smtp is not null)
                return Problems.BadRequest("a graph mailbox with application permissions takes only address, oauth, name and scope.");
            if (Word<MailboxScope>(request.Scope, MailboxScope.All, "scope", out var graphScope) is { } badGraphScope)
                return badGraphScope;
            var added = await onboarding.AddWithApplicationPermissionsAsync(new OnboardingRequest
            {
                OrganizationId = organizationId,
                Address = request.Address,
                Protocol = MailboxProtocol.Graph,
                UserName = request.UserName,
                Name = request.Name,
                Scope = graphScope,
                Verify = request.Verify ?? true,
            }, provider, cancellationToken);
            return added.Mailbox is { } mailbox
                ? TypedResults.Created($"/v1/mailboxes/{mailbox.Id}", new CreatedMailboxJson(MailboxJson.From(mailbox), added.SettingsFrom))
                : OnboardingProblems.For(added);
        }
        if (EnumWords.TryParse<MailboxProtocol>(request.Protocol, out var api) && api is MailboxProtocol.GmailApi or MailboxProtocol.Graph)
        {
            var word = EnumWords.Of(api);
            var delegated = api == MailboxProtocol.Graph ? " (delegated permissions; a provider with OAuth:Providers:NAME:ApplicationPermissions takes \"oauth\": NAME here)" : "";
            return Problems.BadRequest($"{word} mailboxes are authorized by their owner{delegated}: make a link with POST /v1/oauth/links "
                + $"{{\"protocol\": \"{word}\", \"provider\", \"user\"}} and send them to it.");
        }
        if (string.IsNullOrEmpty(request.Password))
            return Problems.BadRequest("password is required (OAuth2 mailboxes are added through a link from POST /v1/oauth/links, or the console).");
        if (Word<MailboxScope>(request.Scope, MailboxScope.All, "scope", out var scope) is { } badScope)
            return badScope;
        if (Word<MailboxProtocol>(request.Protocol, MailboxProtocol.Imap, "protocol", out var protocol) is { } badProtocol)
            return badProtocol;
        if (Word<TransportSecurity>(request.Security, TransportSecurity.Tls, "security", out var security) is { } badSecurity)
            return badSecurity;
        if (Word<EwsAuthentication>(request.Authentication, EwsAuthentication.Ntlm, "authentication", out var authentication) is { } badAuthentication)
            return badAuthentication;
        if (protocol != MailboxProtocol.Ews && (request.Url is not null || request.Authentication is not null))
            return Problems.BadRequest("url and authentication are for protocol ews.");
        // The API has a field for the port: a port inside host (or smtp.host) is a mistake, not a second way to say it.
        if (request.Host is { } host && HostAndPort.TryParse(host, out _, out var inline, out _) && inline is not null)
            return Problems.BadRequest("host must be a host name or address, with the port in port.");
        if (request.Smtp?.Host is { } smtpHost && HostAndPort.TryParse(smtpHost, out _, out var smtpInline, out _) && smtpInline is not null)
            return Problems.BadRequest("smtp.host must be a host name or address, with the port in smtp.port.");
        TransportSecurity? smtpSecurity = null;
        if (request.Smtp?.Security is { } smtpWord)
        {
            if (Word<TransportSecurity>(smtpWord, TransportSecurity.Tls, "smtp.security", out var s) is { } badSmtp)
                return badSmtp;
            smtpSecurity = s;
        }

        var result = await onboarding.AddAsync(new OnboardingRequest
        {
            OrganizationId = organizationId,
            Address = request.Address,
            Protocol = protocol,
            Host = request.Host,
            Port = request.Port,
            Security = security,
            UserName = request.UserName,
            AllowPlaintext = request.AllowPlaintext,
            TrustedCaFile = discoveryOptions.TrustedCaFile is { Length: > 0 } file ? file : null,
            Name = request.Name,
            Scope = scope,
            Smtp = request.Smtp is { } smtp ? new OnboardingSmtp(smtp.Host, smtp.Port, smtpSecurity, smtp.UserName) : null,
            Verify = request.Verify ?? true,
            Url = request.Url,
            EwsAuthentication = authentication,
        }, OnboardingSecret.FromPassword(request.Password), cancellationToken);
        return result.Mailbox is { } record
            ? TypedResults.Created($"/v1/mailboxes/{record.Id}", new CreatedMailboxJson(MailboxJson.From(record), result.SettingsFrom))
            : OnboardingProblems.For(result);
    }

    private static ProblemHttpResult? Word<T>(string? text, T fallback, string field, out T value) where T : struct, Enum
    {
        value = fallback;
        if (text is null || EnumWords.TryParse(text, out value))
            return null;
        return Problems.BadRequest($"{field} must be {EnumWords.Choices<T>()} (was '{text}').");
    }
}
