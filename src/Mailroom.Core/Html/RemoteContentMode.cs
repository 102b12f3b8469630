namespace Mailroom.Core.Html;

/// <summary>What the email policy does with URLs that a browser would fetch from another host.</summary>
public enum RemoteContentMode
{
    /// <summary>Remove them (the default for viewing): nothing leaves the page.</summary>
    Block,
    /// <summary>Rewrite remote images to the image proxy; every other remote resource is still removed.</summary>
    Proxy,
    /// <summary>For HTML that a user sends: keep remote image URLs as the author wrote them, add nothing.</summary>
    Keep,
}
