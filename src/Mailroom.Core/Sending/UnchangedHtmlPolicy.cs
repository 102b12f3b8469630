namespace Mailroom.Core.Sending;

/// <summary>Sends the user's HTML exactly as written: the policy in force until the HTML sanitizer is registered instead.</summary>
public sealed class UnchangedHtmlPolicy : IHtmlPolicy
{
    public static UnchangedHtmlPolicy Instance { get; } = new();

    public string Apply(string html) => html;
}
