using System.Globalization;
using AngleSharp.Dom;

namespace Mailroom.Core.Html;

/// <summary>Recognises tracking pixels and tracked links.</summary>
internal sealed class TrackingDetector(TrackerList trackers)
{
    // Query parameters that exist to attribute a click to a campaign or a recipient. Our own list: the common
    // analytics and e-mail service provider parameters.
    private static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "utm_name",
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "__hssc", "__hstc", "__hsfp", "hsctatracking", "mkt_tok",
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "vero_id", "vero_conv", "oly_enc_id", "oly_anon_id",
        "_bta_tid", "_bta_c", "trk", "trkcampaign", "sc_campaign", "sc_channel", "ck_subscriber_id", "ss_email_id",
        "wickedid", "rb_clickid", "s_cid", "elqtrackid", "elqtrack", "mkwid", "pcrid", "ml_subscriber", "ml_subscriber_hash",
    };

    // Click redirectors of e-mail service providers: path prefixes that only exist to count a click. Our own list.
    private static readonly string[] RedirectorPaths = ["/ls/click", "/track/click", "/wf/click", "/c/", "/click/", "/r/", "/ss/c/", "/e3t/", "/link/c/", "/CL0/"];

    /// <summary>Why <paramref name="img"/> (whose source is the remote <paramref name="url"/>) is a tracking pixel, or null.</summary>
    public string? PixelReason(IElement img, Uri url)
    {
        if (trackers.Match(url) is { } known)
            return known;
        if (IsTiny(img.GetAttribute("width")) || IsTiny(img.GetAttribute("height")))
            return "tiny image (1x1 or smaller)";
        var style = img.GetAttribute("style");
        if (style is not null)
        {
            var s = style.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
            if (s.Contains("display:none", StringComparison.Ordinal) || s.Contains("visibility:hidden", StringComparison.Ordinal)
                || s.Contains("opacity:0;", StringComparison.Ordinal) || s.EndsWith("opacity:0", StringComparison.Ordinal)
                || s.Contains("width:0", StringComparison.Ordinal) || s.Contains("height:0", StringComparison.Ordinal)
                || s.Contains("width:1px", StringComparison.Ordinal) || s.Contains("height:1px", StringComparison.Ordinal))
                return "hidden or tiny image (style)";
        }
        if (img.HasAttribute("hidden"))
            return "hidden image";
        return null;
    }

    /// <summary>Why the link <paramref name="url"/> is tracked (known redirector, tracking parameters), or null.</summary>
    public string? LinkReason(Uri url)
    {
        var reasons = new List<string>(2);
        if (trackers.Match(url) is { } known)
            reasons.Add(known);
        else if (url.Host.StartsWith("click.", StringComparison.OrdinalIgnoreCase) || url.Host.StartsWith("clicks.", StringComparison.OrdinalIgnoreCase)
            || url.Host.Contains(".ct.sendgrid.net", StringComparison.OrdinalIgnoreCase) || url.Host.StartsWith("links.", StringComparison.OrdinalIgnoreCase)
            || (url.Query.Length > 1 && RedirectorPaths.Any(p => url.AbsolutePath.StartsWith(p, StringComparison.OrdinalIgnoreCase))))
            reasons.Add("click redirector");
        var parameters = TrackingParametersIn(url.Query);
        if (parameters.Count > 0)
            reasons.Add("tracking parameters " + string.Join(", ", parameters));
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private static List<string> TrackingParametersIn(string query)
    {
        var found = new List<string>();
        if (query.Length < 2)
            return found;
        foreach (var pair in query.AsSpan(1).ToString().Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            if (TrackingParameters.Contains(name) && !found.Contains(name, StringComparer.OrdinalIgnoreCase))
                found.Add(name.ToLowerInvariant());
        }
        return found;
    }

    private static bool IsTiny(string? dimension)
    {
        if (dimension is null)
            return false;
        var d = dimension.Trim().TrimEnd('x', 'p', 'X', 'P');
        return double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v <= 2;
    }
}
