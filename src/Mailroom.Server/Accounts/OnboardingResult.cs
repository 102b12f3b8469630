using Mailroom.Connectors.Discovery;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;

namespace Mailroom.Server.Accounts;

/// <summary>What <see cref="MailboxOnboarding"/> did: the mailbox added, or why not.</summary>
internal sealed record OnboardingResult
{
    public OnboardingFailure Failure { get; private init; }

    /// <summary>What went wrong, in words that name no option of a particular caller.</summary>
    public string? Error { get; private init; }

    /// <summary>The request field a <see cref="OnboardingFailure.Invalid"/> failure is about, as the API names it (<c>allowPlaintext</c>, <c>smtp.host</c>).</summary>
    public string? Field { get; private init; }

    /// <summary>How a login failed.</summary>
    public ConnectorErrorKind? LoginError { get; private init; }

    /// <summary>The discovery that was run, if any, found or not.</summary>
    public DiscoveryResult? Discovery { get; private init; }

    /// <summary>The mailbox added.</summary>
    public MailboxRecord? Mailbox { get; private init; }

    /// <summary>Where the settings came from: <c>explicit</c>, or the discovery source that answered.</summary>
    public string SettingsFrom { get; private init; } = Explicit;

    public const string Explicit = "explicit";

    public bool Added => Failure == OnboardingFailure.None;

    public static OnboardingResult Success(MailboxRecord mailbox, string settingsFrom, DiscoveryResult? discovery) =>
        new() { Mailbox = mailbox, SettingsFrom = settingsFrom, Discovery = discovery };

    public static OnboardingResult Invalid(string field, string error) =>
        new() { Failure = OnboardingFailure.Invalid, Field = field, Error = error };

    public static OnboardingResult Failed(OnboardingFailure failure, string error, DiscoveryResult? discovery = null, ConnectorErrorKind? loginError = null) =>
        new() { Failure = failure, Error = error, Discovery = discovery, LoginError = loginError };
}
