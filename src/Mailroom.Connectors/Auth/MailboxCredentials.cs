using System.Collections.Concurrent;
using Mailroom.Core.Accounts;
using Mailroom.Core.Connectors;
using Mailroom.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Auth;

/// <summary>
/// The credential a mailbox logs in with, for any protocol (IMAP and POP3 now, SMTP next): the decrypted password,
/// or an OAuth2 access token that is refreshed when less than <see cref="OAuthOptions.RefreshBefore"/> is left, with
/// the rotated refresh token stored at once. A grant the provider calls invalid (revoked, expired), or a login refused
/// with a token that was just refreshed, is <see cref="ConnectorErrorKind.ReauthorizationRequired"/>: the caller stops.
/// </summary>
public sealed class MailboxCredentials(
    IAccountStore accounts,
    ISecretProtector secrets,
    OAuthClient oauth,
    OAuthOptions options,
    TimeProvider time,
    ILogger<MailboxCredentials> logger) : ICredentialSource
{
    // One refresh at a time per mailbox in this process: with rotation, two concurrent refreshes with the same refresh
    // token make the provider treat the second as a replay and revoke the whole grant.
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _refreshGates = new();

    /// <summary>
    /// Connects with the mailbox's credential. For OAuth2, a login refused with a token that was not just refreshed is
    /// tried once more after a refresh (the token may have been revoked early); refused again, the mailbox needs
    /// authorizing again.
    /// </summary>
    public async Task<T> ConnectAsync<T>(
        MailboxRecord mailbox, Func<MailboxCredential, CancellationToken, Task<T>> connect, CancellationToken cancellationToken)
    {
        if (mailbox.Settings.OAuthProvider is null)
        {
            var password = secrets.Unprotect(SecretPurposes.MailboxPassword, await accounts.GetProtectedSecretAsync(mailbox.Id, cancellationToken));
            return await connect(MailboxCredential.Password(password), cancellationToken);
        }

        var (credential, refreshed) = await GetAccessTokenAsync(mailbox, null, cancellationToken);
        try
        {
            return await connect(credential, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.AuthenticationFailed && !refreshed)
        {
            (credential, _) = await GetAccessTokenAsync(mailbox, credential.Secret, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.AuthenticationFailed)
        {
            throw NeedsReauthorization(mailbox, "the server refused an access token the provider had just issued", ex);
        }

        try
        {
            return await connect(credential, cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.AuthenticationFailed)
        {
            throw NeedsReauthorization(mailbox, "the server refused an access token the provider had just issued", ex);
        }
    }

    /// <summary>
    /// A usable access token: the stored one while more than <see cref="OAuthOptions.RefreshBefore"/> is left and it is
    /// not <paramref name="rejectedAccessToken"/>, else a refreshed one (stored before it is returned).
    /// </summary>
    /// <returns>The token, and whether it was refreshed by this call.</returns>
    public async Task<(MailboxCredential Credential, bool Refreshed)> GetAccessTokenAsync(
        MailboxRecord mailbox, string? rejectedAccessToken, CancellationToken cancellationToken)
    {
        var providerName = mailbox.Settings.OAuthProvider
            ?? throw new InvalidOperationException($"Mailbox {mailbox.Id} logs in with a password, not OAuth.");
        var gate = _refreshGates.GetOrAdd(mailbox.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Read inside the gate: another caller may have refreshed while this one waited.
            var stored = await accounts.GetOAuthTokensAsync(mailbox.Id, cancellationToken)
                ?? throw NeedsReauthorization(mailbox, "no tokens are stored for it", null);
            var access = secrets.Unprotect(SecretPurposes.OAuthAccessToken, stored.ProtectedAccessToken);
            if (stored.ExpiresAt - time.GetUtcNow() > options.RefreshBefore && access != rejectedAccessToken)
                return (MailboxCredential.OAuth2(access), false);

            var provider = await oauth.ResolveAsync(providerName, cancellationToken);
            if (stored.ProtectedRefreshToken is null && !provider.ApplicationPermissions)
                throw NeedsReauthorization(mailbox, "its access token expired and the provider gave no refresh token", null);
            // Application permissions have no refresh token: a new token is the client's own credential again.
            var result = provider.ApplicationPermissions
                ? await oauth.ClientCredentialsAsync(provider, cancellationToken)
                : await oauth.RefreshAsync(provider, secrets.Unprotect(SecretPurposes.OAuthRefreshToken, stored.ProtectedRefreshToken!), cancellationToken);
            if (result.Tokens is not { } tokens)
            {
                if (result.IsInvalidGrant)
                    throw NeedsReauthorization(mailbox, $"the provider refused the refresh token ({result.Error}: {result.ErrorDescription})", null);
                // invalid_client and friends are the operator's settings; anything else may pass.
                var kind = result.Error is "invalid_client" or "unauthorized_client" or "invalid_scope" or "unsupported_grant_type"
                    ? ConnectorErrorKind.Misconfigured
                    : ConnectorErrorKind.Transient;
                throw new ConnectorException(kind, $"OAuth refresh at {providerName} failed: {result.Error}: {result.ErrorDescription}");
            }

            await accounts.SaveOAuthTokensAsync(mailbox.Id, Protect(tokens), cancellationToken);
            Log.TokenRefreshed(logger, mailbox.Name, providerName, tokens.ExpiresAt);
            return (MailboxCredential.OAuth2(tokens.AccessToken), true);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Where a Graph mailbox is: null for the signed-in user (<c>/me</c>, delegated permissions), its address for a
    /// provider with application permissions (<c>/users/{address}</c>).
    /// </summary>
    public string? GraphUser(MailboxSettings settings) =>
        oauth.UsesApplicationPermissions(settings.OAuthProvider) ? settings.Address ?? settings.UserName : null;

    /// <summary>Encrypts tokens for storage, one purpose per field.</summary>
    public StoredOAuthTokens Protect(OAuthTokens tokens) => new(
        secrets.Protect(SecretPurposes.OAuthAccessToken, tokens.AccessToken),
        tokens.RefreshToken is null ? null : secrets.Protect(SecretPurposes.OAuthRefreshToken, tokens.RefreshToken),
        tokens.ExpiresAt);

    private ConnectorException NeedsReauthorization(MailboxRecord mailbox, string reason, Exception? inner)
    {
        var provider = mailbox.Settings.OAuthProvider ?? "?";
        Log.NeedsReauthorization(logger, mailbox.Name, provider, reason);
        return new ConnectorException(ConnectorErrorKind.ReauthorizationRequired,
            $"The OAuth authorization of {mailbox.Name} at {provider} is no longer valid: {reason}. Authorize it again "
            + $"(web: /oauth/start?mailbox={mailbox.Id}).", inner);
    }
}
