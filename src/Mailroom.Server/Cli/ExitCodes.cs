namespace Mailroom.Server.Cli;

/// <summary>Process exit codes, stable for scripts.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed that has no more specific code.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments or input (a file that does not exist, an invalid host).</summary>
    public const int Usage = 2;

    /// <summary>The account, file or item named does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>The server refused the credentials.</summary>
    public const int AuthenticationFailed = 4;

    /// <summary>The server could not be reached or the connection dropped; trying again may work.</summary>
    public const int Unreachable = 5;

    /// <summary>The settings cannot work (TLS refused, STARTTLS not offered, plaintext not allowed).</summary>
    public const int Misconfigured = 6;

    /// <summary>The sync finished, but some folders failed.</summary>
    public const int Partial = 7;
}
