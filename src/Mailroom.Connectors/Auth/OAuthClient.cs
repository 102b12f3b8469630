using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Mailroom.Core.Connectors;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Auth;

/// <summary>
/// Talks to OAuth providers over HTTP: discovery (OpenID Connect Discovery 1.0), the device authorization grant
/// (RFC 8628), the authorization code exchange with PKCE (RFC 7636) and refresh (RFC 6749 §6). Provider errors come
/// back as values (<see cref="OAuthTokenResult"/>); a provider that cannot be reached is a transient
/// <see cref="ConnectorException"/>. No message or exception ever carries a token or the client secret.
/// </summary>
public sealed class OAuthClient(HttpClient http, OAuthOptions options, TimeProvider time, ILogger<OAuthClient> logger)
{
    private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private readonly ConcurrentDictionary<string, OAuthEndpoints> _resolved = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The provider's endpoints, from the built-in table, the settings and its discovery document.</summary>
    public async Task<OAuthEndpoints> ResolveAsync(string provider, CancellationToken cancellationToken)
    {
        if (_resolved.TryGetValue(provider, out var known))
            return known;
        if (!options.Providers.TryGetValue(provider, out var configured))
            throw new ConnectorException(ConnectorErrorKind.Misconfigured,
                $"No OAuth provider '{provider}' is configured (OAuth:Providers:{provider}).");
        var settings = OAuthProviderDefaults.Merge(provider, configured);
        if (string.IsNullOrEmpty(settings.ClientId))
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, $"OAuth:Providers:{provider}:ClientId is not set.");

        if (settings.Authority is { Length: > 0 } authority
            && (settings.TokenEndpoint is null || settings.AuthorizationEndpoint is null || settings.DeviceAuthorizationEndpoint is null))
        {
            var discovery = await GetJsonAsync(new Uri(authority.TrimEnd('/') + "/.well-known/openid-configuration"), cancellationToken);
            settings.AuthorizationEndpoint ??= Text(discovery, "authorization_endpoint");
            settings.TokenEndpoint ??= Text(discovery, "token_endpoint");
            settings.DeviceAuthorizationEndpoint ??= Text(discovery, "device_authorization_endpoint");
        }
        if (settings.TokenEndpoint is null)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured,
                $"OAuth provider '{provider}' has no token endpoint: set Authority (discovery) or TokenEndpoint.");

        var endpoints = new OAuthEndpoints(
            provider,
            settings.AuthorizationEndpoint is null ? null : new Uri(settings.AuthorizationEndpoint),
            new Uri(settings.TokenEndpoint),
            settings.DeviceAuthorizationEndpoint is null ? null : new Uri(settings.DeviceAuthorizationEndpoint),
            settings.ClientId,
            string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret,
            settings.Scopes,
            settings.AuthorizationParameters)
        {
            GmailApiScopes = settings.GmailApiScopes,
            GraphScopes = settings.GraphScopes,
            ApplicationPermissions = settings.ApplicationPermissions,
            ApplicationScopes = settings.ApplicationScopes,
        };
        return _resolved.GetOrAdd(provider, endpoints);
    }

    /// <summary>Starts a device authorization (RFC 8628 §3.1): the person then visits the URL and enters the code.</summary>
    public async Task<DeviceAuthorization> StartDeviceAuthorizationAsync(OAuthEndpoints provider, CancellationToken cancellationToken)
    {
        var endpoint = provider.DeviceAuthorizationEndpoint ?? throw new ConnectorException(ConnectorErrorKind.Misconfigured,
            $"OAuth provider '{provider.Name}' has no device authorization endpoint; authorize it through the web instead.");
        var (status, json) = await PostAsync(endpoint, ClientFields(provider, ("scope", string.Join(' ', provider.Scopes))), cancellationToken);
        if (status != HttpStatusCode.OK || Text(json, "device_code") is not { } deviceCode || Text(json, "user_code") is not { } userCode)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured,
                $"OAuth provider '{provider.Name}' refused the device authorization: {Text(json, "error") ?? status.ToString()} {Text(json, "error_description")}".TrimEnd());
        var verification = Text(json, "verification_uri") ?? Text(json, "verification_url") // Google's older name
            ?? throw new ConnectorException(ConnectorErrorKind.Misconfigured, $"OAuth provider '{provider.Name}' sent no verification_uri.");
        var complete = Text(json, "verification_uri_complete");
        var expiresIn = Seconds(json, "expires_in") ?? TimeSpan.FromMinutes(10);
        // RFC 8628 §3.2: without an interval the client must wait 5 seconds between requests.
        var interval = Seconds(json, "interval") ?? TimeSpan.FromSeconds(5);
        return new DeviceAuthorization(deviceCode, userCode, new Uri(verification), complete is null ? null : new Uri(complete),
            time.GetUtcNow() + expiresIn, interval);
    }

    /// <summary>
    /// Polls the token endpoint until the person has approved (tokens), refused or let the code expire (an error
    /// value): waits the interval between requests and 5 s more after each slow_down (RFC 8628 §3.5).
    /// </summary>
    public async Task<OAuthTokenResult> PollDeviceAuthorizationAsync(
        OAuthEndpoints provider, DeviceAuthorization device, CancellationToken cancellationToken)
    {
        var interval = device.Interval;
        while (true)
        {
            await Task.Delay(interval, time, cancellationToken);
            if (time.GetUtcNow() >= device.ExpiresAt)
                return OAuthTokenResult.Failed("expired_token", "the device code expired before it was approved");
            var result = await TokenRequestAsync(provider, ClientFields(provider,
                ("grant_type", DeviceCodeGrant), ("device_code", device.DeviceCode)), null, cancellationToken);
            switch (result.Error)
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5);
                    continue;
                default:
                    return result;
            }
        }
    }

    /// <summary>Exchanges an authorization code with its PKCE verifier (RFC 7636 §4.5).</summary>
    public Task<OAuthTokenResult> ExchangeCodeAsync(
        OAuthEndpoints provider, string code, string codeVerifier, Uri redirectUri, CancellationToken cancellationToken) =>
        TokenRequestAsync(provider, ClientFields(provider,
            ("grant_type", "authorization_code"), ("code", code), ("code_verifier", codeVerifier), ("redirect_uri", redirectUri.ToString())),
            null, cancellationToken);

    /// <summary>The client credentials grant (RFC 6749 §4.4): a token of the application itself, no refresh token.</summary>
    public Task<OAuthTokenResult> ClientCredentialsAsync(OAuthEndpoints provider, CancellationToken cancellationToken) =>
        TokenRequestAsync(provider, provider.ApplicationScopes.Count > 0
            ? ClientFields(provider, ("grant_type", "client_credentials"), ("scope", string.Join(' ', provider.ApplicationScopes)))
            : ClientFields(provider, ("grant_type", "client_credentials")), null, cancellationToken);

    /// <summary>Whether the provider's mailboxes use application permissions (client credentials), from the settings alone.</summary>
    public bool UsesApplicationPermissions(string? provider) =>
        provider is not null && options.Providers.TryGetValue(provider, out var configured) && configured.ApplicationPermissions;

    /// <summary>Refreshes; a provider that does not rotate refresh tokens leaves the old one in force.</summary>
    public Task<OAuthTokenResult> RefreshAsync(OAuthEndpoints provider, string refreshToken, CancellationToken cancellationToken) =>
        TokenRequestAsync(provider, ClientFields(provider, ("grant_type", "refresh_token"), ("refresh_token", refreshToken)),
            refreshToken, cancellationToken);

    private async Task<OAuthTokenResult> TokenRequestAsync(
        OAuthEndpoints provider, List<KeyValuePair<string, string>> fields, string? previousRefreshToken, CancellationToken cancellationToken)
    {
        var (status, json) = await PostAsync(provider.TokenEndpoint, fields, cancellationToken);
        if (Text(json, "error") is { } error)
            return OAuthTokenResult.Failed(error, Text(json, "error_description"));
        if (status != HttpStatusCode.OK || Text(json, "access_token") is not { } accessToken)
            throw new ConnectorException(ConnectorErrorKind.Transient,
                $"OAuth provider '{provider.Name}' answered the token request with HTTP {(int)status} and no token.");
        // Without expires_in the lifetime is unknown: assume one hour, the common default, rather than forever.
        var expiresIn = Seconds(json, "expires_in") ?? TimeSpan.FromHours(1);
        return new OAuthTokenResult(
            new OAuthTokens(accessToken, Text(json, "refresh_token") ?? previousRefreshToken, time.GetUtcNow() + expiresIn), null, null);
    }

    private static List<KeyValuePair<string, string>> ClientFields(OAuthEndpoints provider, params (string Key, string Value)[] fields)
    {
        // client_secret_post: accepted by Google, Microsoft and any provider that lists it (most do).
        var list = new List<KeyValuePair<string, string>> { new("client_id", provider.ClientId) };
        if (provider.ClientSecret is { } secret)
            list.Add(new("client_secret", secret));
        list.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        return list;
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(
        Uri endpoint, List<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content }, endpoint, cancellationToken);
    }

    private async Task<JsonElement> GetJsonAsync(Uri uri, CancellationToken cancellationToken)
    {
        var (status, json) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), uri, cancellationToken);
        if (status != HttpStatusCode.OK)
            throw new ConnectorException(ConnectorErrorKind.Misconfigured, $"OAuth discovery at {uri} answered HTTP {(int)status}.");
        return json;
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> SendAsync(
        Func<HttpRequestMessage> request, Uri uri, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.HttpTimeout);
        try
        {
            using var message = request();
            message.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(message, deadline.Token);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            if ((int)response.StatusCode >= 500)
                throw new ConnectorException(ConnectorErrorKind.Transient, $"OAuth provider at {uri.GetLeftPart(UriPartial.Authority)} answered HTTP {(int)response.StatusCode}.");
            JsonElement json;
            try
            {
                using var document = JsonDocument.Parse(body);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // The body is not repeated: it might hold a token.
                throw new ConnectorException(ConnectorErrorKind.Transient, $"OAuth provider at {uri} answered HTTP {(int)response.StatusCode} without JSON.");
            }
            return (response.StatusCode, json);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.OAuthRequestFailed(logger, uri.GetLeftPart(UriPartial.Path), "timed out");
            throw new ConnectorException(ConnectorErrorKind.Transient, $"OAuth provider at {uri.GetLeftPart(UriPartial.Path)} did not answer within {options.HttpTimeout}.");
        }
        catch (HttpRequestException ex)
        {
            Log.OAuthRequestFailed(logger, uri.GetLeftPart(UriPartial.Path), ex.Message);
            // The request (form fields with tokens) is not part of HttpRequestException's message; keep it as the cause.
            throw new ConnectorException(ConnectorErrorKind.Transient, $"OAuth provider at {uri.GetLeftPart(UriPartial.Path)} unreachable: {ex.Message}", ex);
        }
    }

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static TimeSpan? Seconds(JsonElement json, string name)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out var value))
            return null;
        // Some providers (older Microsoft endpoints) send numbers as strings.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
            return TimeSpan.FromSeconds(n);
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n))
            return TimeSpan.FromSeconds(n);
        return null;
    }
}
