namespace Mailroom.Core.Html;

/// <summary>The second layer around a sanitized message: the policies its view document is served with.</summary>
public static class ViewSecurityPolicy
{
    /// <summary>
    /// The Content-Security-Policy of a message's view document, also written into the document as a meta element so a
    /// copy saved from <c>mailroom render</c> keeps it: nothing but images from Mailroom itself (inline parts, the proxy)
    /// and data images, inline styles, and no script of any kind.
    /// </summary>
    public const string Document =
        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'none'; media-src 'none'; " +
        "object-src 'none'; script-src 'none'; frame-src 'none'; child-src 'none'; connect-src 'none'; manifest-src 'none'; " +
        "worker-src 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>
    /// The header form adds what a meta element cannot carry: the document is sandboxed even when opened on its own
    /// (links may open a new, unsandboxed tab; nothing else), and only Mailroom's own pages may frame it.
    /// </summary>
    public const string DocumentHeader = Document + "; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

    /// <summary>The sandbox of the iframe that shows a message: no scripts, an opaque origin, links open in a new tab.</summary>
    public const string IframeSandbox = "allow-popups allow-popups-to-escape-sandbox";

    /// <summary>For attachments and inline parts: never a document that runs anything, even when opened directly.</summary>
    public const string Download = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";
}
