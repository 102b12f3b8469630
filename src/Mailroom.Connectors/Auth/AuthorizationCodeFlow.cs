using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Connectors.Auth;

/// <summary>
/// The authorization code grant with PKCE (RFC 7636, S256) for the web: <see cref="StartAsync"/> makes the provider's
/// authorize URL with a fresh state and code challenge; <see cref="CompleteAsync"/> takes the state back from the
/// callback and exchanges the code with the verifier. A state is 256 random bits, used at most once, and forgotten
/// after <see cref="OAuthOptions.AuthorizationLifetime"/>. States live in this process's memory: the callback must
/// reach the node that started the authorization.
/// </summary>
public sealed class AuthorizationCodeFlow(OAuthClient oauth, OAuthOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, PendingAuthorization> _pending = new(StringComparer.Ordinal);

    public async Task<Uri> StartAsync(
        string provider, Uri redirectUri, string? loginHint, IReadOnlyDictionary<string, string> context, CancellationToken cancellationToken)
    {
        var endpoints = await oauth.ResolveAsync(provider, cancellationToken);
        if (context.TryGetValue(OAuthEndpoints.ProtocolKey, out var protocol) && protocol == OAuthEndpoints.GmailApiProtocol)
            endpoints = endpoints.ForGmailApi();
        var authorize = endpoints.AuthorizationEndpoint ?? throw new Core.Connectors.ConnectorException(
            Core.Connectors.ConnectorErrorKind.Misconfigured, $"OAuth provider '{provider}' has no authorization endpoint.");
        Sweep();

        var state = RandomToken();
        var verifier = RandomToken();
        _pending[state] = new PendingAuthorization(endpoints.Name, redirectUri, verifier, time.GetUtcNow() + options.AuthorizationLifetime, context);

        var query = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"),
            new("client_id", endpoints.ClientId),
            new("redirect_uri", redirectUri.ToString()),
            new("scope", string.Join(' ', endpoints.Scopes)),
            new("state", state),
            new("code_challenge", CodeChallenge(verifier)),
            new("code_challenge_method", "S256"),
        };
        if (loginHint is { Length: > 0 })
            query.Add(new("login_hint", loginHint));
        query.AddRange(endpoints.AuthorizationParameters);
        var separator = authorize.Query.Length > 0 ? "&" : "?";
        return new Uri(authorize + separator + string.Join('&', query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));
    }

    /// <summary>
    /// Takes the state (so it cannot be used again) and exchanges the code. Null when the state is unknown, used or
    /// expired: nothing is exchanged then.
    /// </summary>
    public async Task<(PendingAuthorization Request, OAuthTokenResult Result)?> CompleteAsync(
        string state, string code, CancellationToken cancellationToken)
    {
        if (!_pending.TryRemove(state, out var pending) || pending.ExpiresAt <= time.GetUtcNow())
            return null;
        var endpoints = await oauth.ResolveAsync(pending.Provider, cancellationToken);
        var result = await oauth.ExchangeCodeAsync(endpoints, code, pending.CodeVerifier, pending.RedirectUri, cancellationToken);
        return (pending, result);
    }

    /// <summary>
    /// The pending authorization of a state, without taking it: the caller checks who may complete it (the browser and
    /// the user that started it) before <see cref="CompleteAsync"/> spends it. Null when unknown or expired.
    /// </summary>
    public PendingAuthorization? Find(string state) =>
        _pending.TryGetValue(state, out var pending) && pending.ExpiresAt > time.GetUtcNow() ? pending : null;

    /// <summary>Forgets a state without exchanging anything (the provider answered with an error).</summary>
    public PendingAuthorization? Abandon(string state) => _pending.TryRemove(state, out var pending) ? pending : null;

    /// <summary>RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))).</summary>
    public static string CodeChallenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, value) in _pending)
        {
            if (value.ExpiresAt <= now)
                _pending.TryRemove(key, out _);
        }
    }

    // 32 random bytes: 43 characters, within RFC 7636's 43..128 for the verifier, and an unguessable state.
    private static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
