using System.Text;
using System.Xml;

namespace Mailroom.Connectors.Ews;

/// <summary>
/// The POX Autodiscover exchange (MS-OXDSCLI): the request for an address's Outlook settings, and the reading of the
/// answer. The EWS URL is taken from the EXPR protocol (outside the corporate network, what a service is) and
/// otherwise from EXCH; only https URLs are accepted, as credentials follow them.
/// </summary>
internal static class EwsAutodiscoverDocument
{
    private const string RequestNamespace = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    private const string ResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        MaxCharactersInDocument = 1024 * 1024,
    };

    public static byte[] Request(string address)
    {
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            w.WriteStartElement("Autodiscover", RequestNamespace);
            w.WriteStartElement("Request", RequestNamespace);
            w.WriteElementString("EMailAddress", RequestNamespace, address);
            w.WriteElementString("AcceptableResponseSchema", RequestNamespace, ResponseSchema);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return buffer.ToArray();
    }

    /// <exception cref="XmlException">The document is not XML.</exception>
    public static EwsAutodiscoverAnswer Read(Stream document)
    {
        using var r = XmlReader.Create(document, Settings);
        string? action = null, redirectAddr = null, redirectUrl = null, error = null, displayName = null;
        string? protocolType = null;
        var ewsUrls = new Dictionary<string, string>(StringComparer.Ordinal);
        string? ewsUrl = null;
        // ReadElementContentAsString leaves the reader on the next node already, so only other nodes call Read.
        r.Read();
        while (!r.EOF)
        {
            if (r.NodeType == XmlNodeType.EndElement && r.LocalName == "Protocol")
            {
                if (protocolType is not null && ewsUrl is not null)
                    ewsUrls.TryAdd(protocolType, ewsUrl);
                (protocolType, ewsUrl) = (null, null);
            }
            if (r.NodeType != XmlNodeType.Element)
            {
                r.Read();
                continue;
            }
            switch (r.LocalName)
            {
                case "Action": action = r.ReadElementContentAsString().Trim(); break;
                case "RedirectAddr": redirectAddr = r.ReadElementContentAsString().Trim(); break;
                case "RedirectUrl": redirectUrl = r.ReadElementContentAsString().Trim(); break;
                case "DisplayName": displayName ??= r.ReadElementContentAsString().Trim(); break;
                case "Type": protocolType = r.ReadElementContentAsString().Trim(); break;
                case "EwsUrl": ewsUrl = r.ReadElementContentAsString().Trim(); break;
                case "ErrorCode": error = $"Autodiscover error {r.ReadElementContentAsString().Trim()}"; break;
                case "Message" when error is not null: error += ": " + r.ReadElementContentAsString().Trim(); break;
                default: r.Read(); break;
            }
        }
        if (error is not null)
            return new EwsAutodiscoverAnswer(null, null, null, error);
        var settingsUrl = Https(ewsUrls.GetValueOrDefault("EXPR")) ?? Https(ewsUrls.GetValueOrDefault("EXCH"));
        return action switch
        {
            "redirectAddr" when redirectAddr is { Length: > 0 } => new(null, redirectAddr, null, null),
            "redirectUrl" when Https(redirectUrl) is { } url => new(null, null, url, null),
            "settings" when settingsUrl is not null => new(settingsUrl, null, null, null) { DisplayName = displayName },
            "settings" => new(null, null, null, "The Autodiscover answer names no https EWS URL."),
            _ => new(null, null, null, $"The Autodiscover answer has no usable action ({action ?? "none"})."),
        };
    }

    private static Uri? Https(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri : null;
}
