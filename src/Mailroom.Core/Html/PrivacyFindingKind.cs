namespace Mailroom.Core.Html;

/// <summary>The kinds of finding in a <see cref="PrivacyReport"/>.</summary>
public enum PrivacyFindingKind
{
    /// <summary>A script element, a script URL or a script-bearing construct was removed.</summary>
    ScriptRemoved,
    /// <summary>An event handler attribute (<c>on…</c>) was removed.</summary>
    EventHandlerRemoved,
    /// <summary>An element the policy does not show (form, iframe, object, svg, style, meta, ...) was removed.</summary>
    ElementRemoved,
    /// <summary>An attribute the policy does not allow was removed.</summary>
    AttributeRemoved,
    /// <summary>A CSS declaration or rule was removed (fetching, script, overlay, unknown property).</summary>
    CssRemoved,
    /// <summary>A remote resource was not loaded (remote content is blocked).</summary>
    RemoteContentBlocked,
    /// <summary>A remote image is loaded through the image proxy.</summary>
    RemoteContentProxied,
    /// <summary>A tracking pixel was removed.</summary>
    TrackingPixel,
    /// <summary>A link goes through a click tracker or carries tracking parameters.</summary>
    TrackedLink,
    /// <summary>A <c>cid:</c> reference names no part of the message.</summary>
    MissingInlinePart,
    /// <summary>The message asks for a read receipt (Disposition-Notification-To); none is ever sent automatically.</summary>
    ReadReceiptRequested,
}
