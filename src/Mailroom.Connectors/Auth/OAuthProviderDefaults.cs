namespace Mailroom.Connectors.Auth;

/// <summary>
/// What Mailroom knows about the big providers, so that their settings need only a client id and secret. Values set
/// in configuration win. Google's and Microsoft's documented OAuth 2.0 endpoints and their IMAP/POP/SMTP scopes.
/// </summary>
internal static class OAuthProviderDefaults
{
    public static OAuthProviderOptions Merge(string name, OAuthProviderOptions configured)
    {
        var builtIn = name.ToLowerInvariant() switch
        {
            "google" => new OAuthProviderOptions
            {
                AuthorizationEndpoint = "https://accounts.google.com/o/oauth2/v2/auth",
                TokenEndpoint = "https://oauth2.googleapis.com/token",
                DeviceAuthorizationEndpoint = "https://oauth2.googleapis.com/device/code",
                Scopes = ["https://mail.google.com/"],
                // The Gmail API needs no more than reading and sending (never gmail.modify or full mail access).
                GmailApiScopes = ["https://www.googleapis.com/auth/gmail.readonly", "https://www.googleapis.com/auth/gmail.send"],
                // Without these Google issues no refresh token (or only on the first consent).
                AuthorizationParameters = new() { ["access_type"] = "offline", ["prompt"] = "consent" },
            },
            "microsoft" => new OAuthProviderOptions
            {
                AuthorizationEndpoint = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                TokenEndpoint = "https://login.microsoftonline.com/common/oauth2/v2.0/token",
                DeviceAuthorizationEndpoint = "https://login.microsoftonline.com/common/oauth2/v2.0/devicecode",
                Scopes =
                [
                    "https://outlook.office.com/IMAP.AccessAsUser.All",
                    "https://outlook.office.com/POP.AccessAsUser.All",
                    "https://outlook.office.com/SMTP.Send",
                    "offline_access",
                ],
                // Mail.ReadWrite (Mail.Read suffices to sync; configure GraphScopes for it), Mail.Send for the outbox,
                // offline_access for a refresh token.
                GraphScopes = ["https://graph.microsoft.com/Mail.ReadWrite", "https://graph.microsoft.com/Mail.Send", "offline_access"],
                // Application permissions: what the administrator granted the app (Mail.ReadWrite, Mail.Send).
                ApplicationScopes = ["https://graph.microsoft.com/.default"],
            },
            _ => new OAuthProviderOptions(),
        };
        return new OAuthProviderOptions
        {
            Authority = configured.Authority ?? builtIn.Authority,
            ClientId = configured.ClientId,
            ClientSecret = configured.ClientSecret,
            Scopes = configured.Scopes.Count > 0 ? configured.Scopes : builtIn.Scopes,
            GmailApiScopes = configured.GmailApiScopes.Count > 0 ? configured.GmailApiScopes : builtIn.GmailApiScopes,
            GraphScopes = configured.GraphScopes.Count > 0 ? configured.GraphScopes : builtIn.GraphScopes,
            ApplicationPermissions = configured.ApplicationPermissions,
            ApplicationScopes = configured.ApplicationScopes.Count > 0 ? configured.ApplicationScopes : builtIn.ApplicationScopes,
            AuthorizationEndpoint = configured.AuthorizationEndpoint ?? builtIn.AuthorizationEndpoint,
            TokenEndpoint = configured.TokenEndpoint ?? builtIn.TokenEndpoint,
            DeviceAuthorizationEndpoint = configured.DeviceAuthorizationEndpoint ?? builtIn.DeviceAuthorizationEndpoint,
            AuthorizationParameters = configured.AuthorizationParameters.Count > 0 ? configured.AuthorizationParameters : builtIn.AuthorizationParameters,
        };
    }
}
