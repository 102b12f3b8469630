using Mailroom.Connectors.Auth;
using Mailroom.Core.Connectors;

namespace Mailroom.Server.Cli;

/// <summary>
/// The device authorization grant (RFC 8628) for <c>account add --oauth</c>: shows the verification URL and the user
/// code (on stderr, so that --json output stays clean), then waits while the person approves on another device.
/// </summary>
internal static class DeviceLogin
{
    /// <returns>The tokens, or the exit code and message of why there are none.</returns>
    public static async Task<(OAuthTokens? Tokens, int ExitCode, string? Error)> RunAsync(
        OAuthClient oauth, string provider, bool gmailApi, CancellationToken cancellationToken)
    {
        try
        {
            var endpoints = await oauth.ResolveAsync(provider, cancellationToken);
            if (gmailApi)
                endpoints = endpoints.ForGmailApi();
            var device = await oauth.StartDeviceAuthorizationAsync(endpoints, cancellationToken);
            Console.Error.WriteLine($"To let Mailroom read this mailbox, open {device.VerificationUri} and enter the code {device.UserCode}");
            if (device.VerificationUriComplete is { } complete)
                Console.Error.WriteLine($"(or open {complete})");
            Console.Error.WriteLine($"Waiting for the approval (the code expires at {device.ExpiresAt.ToLocalTime():HH:mm:ss})...");
            var result = await oauth.PollDeviceAuthorizationAsync(endpoints, device, cancellationToken);
            return result.Tokens is { } tokens
                ? (tokens, ExitCodes.Ok, null)
                : (null, ExitCodes.AuthenticationFailed, $"authorization at {provider} was not granted: {result.Error} {result.ErrorDescription}".TrimEnd());
        }
        catch (ConnectorException ex)
        {
            return (null, SyncCommand.ExitCodeFor(ex.Kind), ex.Message);
        }
    }
}
