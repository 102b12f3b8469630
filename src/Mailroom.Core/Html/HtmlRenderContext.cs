namespace Mailroom.Core.Html;

/// <summary>How the email policy resolves the URLs it keeps: inline parts by Content-ID, remote images through the proxy.</summary>
public sealed class HtmlRenderContext
{
    /// <summary>Block (default), proxy or keep remote content.</summary>
    public RemoteContentMode RemoteContent { get; init; } = RemoteContentMode.Block;

    /// <summary>Maps a Content-ID (without <c>cid:</c> and angle brackets) to the URL that serves that inline part, or null when the message has no such part.</summary>
    public Func<string, string?> ResolveContentId { get; init; } = _ => null;

    /// <summary>
    /// Maps an absolute http(s) image URL to the image proxy URL that serves it, or null when the proxy refuses that
    /// URL (its host can only be internal): then the image is blocked. Required for <see cref="RemoteContentMode.Proxy"/>.
    /// </summary>
    public Func<Uri, string?>? ProxyUrl { get; init; }
}
