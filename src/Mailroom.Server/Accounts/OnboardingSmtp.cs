using Mailroom.Core.Accounts;

namespace Mailroom.Server.Accounts;

/// <summary>The submission server of an <see cref="OnboardingRequest"/>; it logs in with the mailbox's secret.</summary>
/// <param name="Host">HOST, or HOST:PORT when <paramref name="Port"/> is not given.</param>
/// <param name="Security">Default: the mailbox's.</param>
/// <param name="UserName">Default: the mailbox's login.</param>
internal sealed record OnboardingSmtp(string Host, int? Port, TransportSecurity? Security, string? UserName);
