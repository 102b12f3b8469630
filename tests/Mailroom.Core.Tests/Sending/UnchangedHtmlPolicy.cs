using Mailroom.Core.Sending;

namespace Mailroom.Core.Tests.Sending;

/// <summary>Sends HTML exactly as written, so composer tests see the MIME structure without the sanitizer's changes.</summary>
public sealed class UnchangedHtmlPolicy : IHtmlPolicy
{
    public static UnchangedHtmlPolicy Instance { get; } = new();

    public string Apply(string html) => html;
}
