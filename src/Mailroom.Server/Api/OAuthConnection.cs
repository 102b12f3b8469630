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
/// <see cref="Security"/>, optionally <see cref="Address"/> and <see cref="Name"/>) or authorizing an existing one again
/// (<see cref="Mailbox"/>). Checked the same way whether a console user starts it or an API key makes a link for it.
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

    /// <summary><c>gmail-api</c> for a Gmail API mailbox (the address and the grant, no server); else IMAP.</summary>
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
            if (record.Protocol == MailboxProtocol.GmailApi)
                context[OAuthEndpoints.ProtocolKey] = OAuthEndpoints.GmailApiProtocol;
            return (new Prepared(recordProvider, record.Settings.UserName, context), null);
        }
        if (Protocol == OAuthEndpoints.GmailApiProtocol)
        {
            // A Gmail API mailbox: the address and the grant, no server (the API asks for gmail.readonly and gmail.send only).
            if (Provider is null || User is null)
                return (null, Problems.BadRequest("Give provider and user (the address) for protocol=gmail-api."));
            var gmail = new OnboardingRequest { OrganizationId = organizationId, Protocol = MailboxProtocol.GmailApi, Address = Address ?? User, Name = Name };
            if (MailboxOnboarding.Validate(gmail) is { } invalidGmail)
                return (null, OnboardingProblems.For(invalidGmail));
            context[OAuthEndpoints.ProtocolKey] = OAuthEndpoints.GmailApiProtocol;
            context[ContextKeys.User] = User;
            if (Address is not null)
                context[ContextKeys.Address] = Address;
            if (Name is not null)
                context[ContextKeys.Name] = Name;
            return (new Prepared(Provider, User, context), null);
        }
        if (Provider is null || User is null || Imap is null)
            return (null, Problems.BadRequest("Give provider, user and imap=HOST[:PORT] (a new account), or mailbox=ID (authorize again)."));
        var wanted = new OnboardingRequest
        {
            OrganizationId = organizationId,
            Host = Imap,
            Security = EnumWords.TryParse<TransportSecurity>(Security ?? "tls", out var s) ? s : TransportSecurity.None,
            UserName = User,
            Address = Address,
            Name = Name,
        };
        // Refuse what cannot work before the person is sent to the provider; plaintext is never offered here.
        if (wanted.Security == TransportSecurity.None)
            return (null, Problems.BadRequest("security must be tls or starttls."));
        if (MailboxOnboarding.Validate(wanted) is { } invalid)
            return (null, OnboardingProblems.For(invalid));
        context[ContextKeys.User] = User;
        context[ContextKeys.Imap] = Imap;
        context[ContextKeys.Security] = EnumWords.Of(wanted.Security);
        if (Address is not null)
            context[ContextKeys.Address] = Address;
        if (Name is not null)
            context[ContextKeys.Name] = Name;
        return (new Prepared(Provider, User, context), null);
    }

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
