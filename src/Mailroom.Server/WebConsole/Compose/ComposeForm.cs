namespace Mailroom.Server.WebConsole.Compose;

/// <summary>The compose form: recipients separated by commas or lines; what it replies to or forwards.</summary>
internal sealed class ComposeForm
{
    public long? Mailbox { get; set; }
    public string? To { get; set; }
    public string? Cc { get; set; }
    public string? Bcc { get; set; }
    public string? Subject { get; set; }
    public string? Text { get; set; }

    /// <summary>An HTML body (sanitized like received HTML when sent); with it, the text is optional (one is generated).</summary>
    public string? Html { get; set; }

    /// <summary>A calendar invitation is sent when it has a summary (and start and end).</summary>
    public string? EventSummary { get; set; }
    public string? EventStart { get; set; }
    public string? EventEnd { get; set; }
    public string? EventTimeZone { get; set; }
    public string? EventLocation { get; set; }
    public string? EventDescription { get; set; }
    public long? ReplyTo { get; set; }
    public long? Forward { get; set; }
    public string? IdempotencyKey { get; set; }

    public static List<string> List(string? text) =>
        [.. (text ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
