namespace Mailroom.Server.Accounts;

/// <summary>Why a mailbox was not added; the CLI maps it to an exit code, the API to a problem.</summary>
internal enum OnboardingFailure
{
    /// <summary>Added.</summary>
    None = 0,

    /// <summary>The request cannot work as given (<see cref="OnboardingResult.Field"/> names the culprit).</summary>
    Invalid,

    /// <summary>A file it names (the CA file) does not exist.</summary>
    FileNotFound,

    /// <summary>Discovery found no working IMAP or POP3 server for the address.</summary>
    NotDiscovered,

    /// <summary>The IMAP or POP3 login failed (<see cref="OnboardingResult.LoginError"/> says how).</summary>
    LoginFailed,

    /// <summary>The SMTP login failed (<see cref="OnboardingResult.LoginError"/> says how).</summary>
    SmtpLoginFailed,

    /// <summary>The organization has a mailbox of that name.</summary>
    NameTaken,
}
