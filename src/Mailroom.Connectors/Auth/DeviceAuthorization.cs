namespace Mailroom.Connectors.Auth;

/// <summary>A started device authorization (RFC 8628 §3.2): what to show the person, and what to poll with.</summary>
public sealed record DeviceAuthorization(
    string DeviceCode,
    string UserCode,
    Uri VerificationUri,
    Uri? VerificationUriComplete,
    DateTimeOffset ExpiresAt,
    TimeSpan Interval)
{
    public override string ToString() => $"Device authorization (code {UserCode} at {VerificationUri})";
}
