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
    public long? ReplyTo { get; set; }
    public long? Forward { get; set; }
    public string? IdempotencyKey { get; set; }

    public static List<string> List(string? text) =>
        [.. (text ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
