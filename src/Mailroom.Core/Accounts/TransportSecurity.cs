using System.Text.Json.Serialization;

namespace Mailroom.Core.Accounts;

/// <summary>How the connection is protected. There is deliberately no "auto": a downgrade is never silent.</summary>
public enum TransportSecurity
{
    /// <summary>Implicit TLS from the first byte (IMAPS 993).</summary>
    Tls = 0,

    /// <summary>Plain connect, then STARTTLS; fails if the server does not offer it.</summary>
    [JsonStringEnumMemberName("starttls")]
    StartTls = 1,

    /// <summary>No encryption. Only when the operator allowed plaintext for this account.</summary>
    None = 2,
}
