using System.Globalization;
using Mailroom.Connectors.Auth;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Mailroom.Server.Accounts;
using Mailroom.Server.Api.V1;
using Mailroom.Storage.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mailroom.Server.Api;

/// <summary>
/// What an OAuth connection is for: a new IMAP mailbox (<see cref="Provider"/>, <see cref="User"/>, <see cref="Imap"/>,
/// <see cref="Security"/>, optionally <see cref="Address"/> and <see cref="Name"/>), a new Gmail API or Graph mailbox
/// (<see cref="Protocol"/>, <see cref="Provider"/>, <see cref="User"/>, optionally <see cref="Address"/> and
/// <see cref="Name"/>), or authorizing an existing one again (<see cref="Mailbox"/>). Checked the same way whether a console user starts it or an API key makes a link for it.
/// </summary>
internal sealed record OAuthConnection
{
    public string? Provider { get; init; }
    public string? User { get; init; }
    public string? Imap { get; init; }
    public string? Security { get; init; }
    public string? Address { get; init; }
    public string? Name { get; init; }
    public long? Mailbox { get; init; }

    /// <summary><c>gmail-api</c> or <c>graph</c> for a provider API mailbox (the address and the grant, no server); else IMAP.</summary>
    public string? Protocol { get; init; }

    /// <summary>
    /// The provider, the login hint and the context that the callback acts on; or the problem. A mailbox of another
    /// organization is "not found", like a missing one.
    /// </summary>
    public async Task<(Prepared? Prepared, ProblemHttpResult? Problem)> PrepareAsync(
        long organizationId, OrganizationQueries queries, CancellationToken cancellationToken)
    {
        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ContextKeys.Organization] = organizationId.ToString(CultureInfo.InvariantCulture),
        };
        if (Mailbox is { } id)
        {
            var record = await queries.GetMailboxAsync(organizationId, id, cancellationToken);
            if (record?.Settings.OAuthProvider is not { } recordProvider)
                return (null, Problems.NotFound($"OAuth mailbox {id}"));
            context[ContextKeys.Mailbox] = record.Id.ToString(CultureInfo.InvariantCulture);
            if (IsProviderApi(record.Protocol))
                context[OAuthEndpoints.ProtocolKey] = EnumWords.Of(record.Protocol);
            return (new Prepared(recordProvider, record.Settings.UserName, context), null);
        }
        if (EnumWords.TryParse<MailboxProtocol>(Protocol, out var api) && IsProviderApi(api))
        {
            // A provider API mailbox (Gmail API, Microsoft Graph): the address and the grant, no server (the API's own scopes only).
            if (Provider is null || User is null)
                return (null, Problems.BadRequest($"Give provider and user (the address) for protocol={Protocol}."));
            context[OAuthEndpoints.ProtocolKey] = EnumWords.Of(api);
        }
        else
        {
            if (Provider is null || User is null || Imap is null)
                return (null, Problems.BadRequest("Give provider, user and imap=HOST[:PORT] (a new account), or mailbox=ID (authorize again)."));
            // Refuse what cannot work before the person is sent to the provider; plaintext is never offered here.
            if (!EnumWords.TryParse<TransportSecurity>(Security ?? "tls", out var security) || security == TransportSecurity.None)
                return (null, Problems.BadRequest("security must be tls or starttls."));
            context[ContextKeys.Imap] = Imap;
            context[ContextKeys.Security] = EnumWords.Of(security);
        }
        context[ContextKeys.User] = User;
        if (Address is not null)
            context[ContextKeys.Address] = Address;
        if (Name is not null)
            context[ContextKeys.Name] = Name;
        // The request the callback will make, checked now.
        if (MailboxOnboarding.Validate(RequestFrom(context, trustedCaFile: null)) is { } invalid)
            return (null, OnboardingProblems.For(invalid));
        return (new Prepared(Provider, User, context), null);
    }

    /// <summary>
    /// The new mailbox a context of <see cref="PrepareAsync"/> asks for: built here only, so that the request checked
    /// at the start is the one the callback adds.
    /// </summary>
    /// <param name="trustedCaFile">The operator's CA for self-hosted servers (never a path from the request).</param>
    public static OnboardingRequest RequestFrom(IReadOnlyDictionary<string, string> context, string? trustedCaFile)
    {
        var organizationId = long.Parse(context[ContextKeys.Organization], NumberStyles.None, CultureInfo.InvariantCulture);
        var address = context.GetValueOrDefault(ContextKeys.Address);
        var name = context.GetValueOrDefault(ContextKeys.Name);
        if (context.TryGetValue(OAuthEndpoints.ProtocolKey, out var word) && EnumWords.TryParse<MailboxProtocol>(word, out var api) && IsProviderApi(api))
            return new OnboardingRequest { OrganizationId = organizationId, Protocol = api, Address = address ?? context[ContextKeys.User], Name = name };
        return new OnboardingRequest
        {
            OrganizationId = organizationId,
            Host = context[ContextKeys.Imap],
            Security = EnumWords.TryParse<TransportSecurity>(context[ContextKeys.Security], out var security) ? security : TransportSecurity.Tls,
            UserName = context[ContextKeys.User],
            Address = address,
            Name = name,
            TrustedCaFile = trustedCaFile,
        };
    }

    private static bool IsProviderApi(MailboxProtocol protocol) => protocol is MailboxProtocol.GmailApi or MailboxProtocol.Graph;

    /// <summary>A checked connection: where to send the person, and what the callback does.</summary>
    internal sealed record Prepared(string Provider, string? LoginHint, IReadOnlyDictionary<string, string> Context);

    /// <summary>The keys of <see cref="Mailroom.Connectors.Auth.PendingAuthorization.Context"/> that the callback reads.</summary>
    internal static class ContextKeys
    {
        public const string Organization = "org";
        public const string Mailbox = "mailbox";
        public const string User = "user";
        public const string Imap = "imap";
        public const string Security = "security";
        public const string Address = "address";
        public const string Name = "name";

        /// <summary>Who started it: <c>user:ID</c> (a console user) or <c>link</c> (a one-time link).</summary>
        public const string StartedBy = "by";

        /// <summary>A random value also set as a cookie at the start: the callback must come back to the same browser.</summary>
        public const string Binding = "binding";
    }
}
