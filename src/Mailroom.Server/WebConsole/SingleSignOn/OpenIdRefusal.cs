namespace Mailroom.Server.WebConsole.SingleSignOn;

/// <summary>
/// Why an OpenID Connect sign-in did not make a console session. It travels back to the sign-in page as a word in its
/// URL (never as text), so a crafted link can only show one of these sentences.
/// </summary>
internal enum OpenIdRefusal
{
    /// <summary>The provider's answer was refused or failed (cancelled, expired, wrong state).</summary>
    Failed,
    NoEmail,
    EmailNotVerified,
    DomainNotAllowed,
    NameTaken,
}
