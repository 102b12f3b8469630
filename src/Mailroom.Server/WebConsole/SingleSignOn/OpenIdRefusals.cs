namespace Mailroom.Server.WebConsole.SingleSignOn;

/// <summary>The words of <see cref="OpenIdRefusal"/> in a URL and the sentences the sign-in page shows for them.</summary>
internal static class OpenIdRefusals
{
    public static string Word(OpenIdRefusal refusal) => refusal switch
    {
        OpenIdRefusal.NoEmail => "no-email",
        OpenIdRefusal.EmailNotVerified => "unverified",
        OpenIdRefusal.DomainNotAllowed => "domain",
        OpenIdRefusal.NameTaken => "taken",
        _ => "failed",
    };

    /// <summary>The sentence for a word from the URL; null for a word that is none of them.</summary>
    public static string? Text(string? word, string provider) => word switch
    {
        "failed" => $"Signing in with {provider} did not complete. Try again.",
        "no-email" => $"{provider} did not tell Mailroom your email address, which decides your organization. Ask your administrator.",
        "unverified" => $"{provider} has not verified your email address, so Mailroom cannot tell your organization from it.",
        "domain" => "Your email address's domain is not one whose people may sign in here. Ask an administrator to add you.",
        "taken" => "A user with your email address as name exists already and signs in with a password. Ask an administrator.",
        _ => null,
    };
}
