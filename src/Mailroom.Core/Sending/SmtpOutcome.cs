namespace Mailroom.Core.Sending;

/// <summary>How the submission server answered one message.</summary>
/// <param name="Code">The SMTP reply code (250, 451, 550, ...), or null when the connection failed before a reply.</param>
/// <param name="Reply">The server's reply text (enhanced status code included), or what failed.</param>
public sealed record SmtpOutcome(SmtpOutcomeKind Kind, int? Code, string Reply)
{
    public static SmtpOutcome Accepted(string reply) => new(SmtpOutcomeKind.Accepted, 250, reply);

    /// <summary>Classifies a reply code: 2xx accepted, 4xx temporary, 5xx (and anything else) permanent (RFC 5321 §4.2.1).</summary>
    public static SmtpOutcome FromReply(int code, string reply) => code switch
    {
        >= 200 and < 300 => new(SmtpOutcomeKind.Accepted, code, reply),
        >= 400 and < 500 => new(SmtpOutcomeKind.Temporary, code, reply),
        _ => new(SmtpOutcomeKind.Permanent, code, reply),
    };
}

public enum SmtpOutcomeKind
{
    Accepted = 0,
    Temporary = 1,
    Permanent = 2,
}
