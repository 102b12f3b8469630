namespace Mailroom.Core.Accounts;

/// <summary>How the connector proves who it is to Exchange.</summary>
public enum EwsAuthentication
{
    /// <summary>HTTP Basic, sent only over TLS.</summary>
    Basic = 0,

    /// <summary>NTLM challenge/response (MS-NLMP), through .NET's managed implementation.</summary>
    Ntlm = 1,
}
