using System.Globalization;
using System.Xml;

namespace Mailroom.Connectors.Ews;

/// <summary>
/// Reads EWS SOAP answers with a forward-only <see cref="XmlReader"/> (no DOM of a response that may hold megabytes of
/// MIME): a fault, or each response message's status and content. Elements are matched by local name inside known
/// parents, so the prefixes Exchange picks (m:, t:, none) do not matter; unknown elements are skipped.
/// </summary>
internal static partial class EwsResponseReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    /// <exception cref="XmlException">The answer is not a SOAP envelope with a response or a fault.</exception>
    public static EwsEnvelope Read(Stream body)
    {
        using var r = XmlReader.Create(body, Settings);
        if (!r.ReadToFollowing("Body", EwsNamespaces.Soap))
            throw new XmlException("The answer is not a SOAP envelope (no soap:Body).");
        foreach (var top in Children(r))
        {
            if (top.LocalName == "Fault" && top.NamespaceURI == EwsNamespaces.Soap)
                return new(ReadFault(top), []);
            var messages = new List<(EwsStatus, EwsContent)>();
            foreach (var part in Children(top))
            {
                if (part.LocalName != "ResponseMessages")
                {
                    part.Skip();
                    continue;
                }
                foreach (var message in Children(part))
                    messages.Add(ReadMessage(message));
            }
            return new(null, messages);
        }
        throw new XmlException("The SOAP body is empty.");
    }

    private static (EwsStatus, EwsContent) ReadMessage(XmlReader r)
    {
        var responseClass = r.GetAttribute("ResponseClass") ?? "Success";
        string? code = null, text = null;
        TimeSpan? backOff = null;
        var content = new EwsContent();
        foreach (var c in Children(r))
        {
            switch (c.LocalName)
            {
                case "ResponseCode": code = c.ReadElementContentAsString().Trim(); break;
                case "MessageText": text = c.ReadElementContentAsString(); break;
                case "MessageXml": backOff = ReadBackOff(c); break;
                default: ReadContent(c, content); break;
            }
        }
        return (new EwsStatus(responseClass, code ?? (responseClass == "Error" ? "ErrorUnknown" : "NoError"), text, backOff), content);
    }

    private static EwsStatus ReadFault(XmlReader r)
    {
        string? faultCode = null, faultString = null, code = null, message = null;
        TimeSpan? backOff = null;
        foreach (var c in Children(r))
        {
            switch (c.LocalName)
            {
                case "faultcode": faultCode = c.ReadElementContentAsString().Trim(); break;
                case "faultstring": faultString = c.ReadElementContentAsString(); break;
                case "detail":
                    foreach (var d in Children(c))
                    {
                        switch (d.LocalName)
                        {
                            case "ResponseCode": code = d.ReadElementContentAsString().Trim(); break;
                            case "Message": message = d.ReadElementContentAsString(); break;
                            case "MessageXml": backOff = ReadBackOff(d); break;
                            default: d.Skip(); break;
                        }
                    }
                    break;
                default: c.Skip(); break;
            }
        }
        // faultcode is a QName ("a:ErrorServerBusy", "s:Client"): its local part names the error when detail does not.
        code ??= faultCode?[(faultCode.IndexOf(':', StringComparison.Ordinal) + 1)..] ?? "ErrorUnknown";
        return new EwsStatus("Error", code, message ?? faultString, backOff);
    }

    /// <summary>MessageXml's <c>&lt;t:Value Name="BackOffMilliseconds"&gt;</c>, Exchange's "come back in" hint.</summary>
    private static TimeSpan? ReadBackOff(XmlReader r)
    {
        TimeSpan? backOff = null;
        foreach (var c in Children(r))
        {
            if (c.LocalName != "Value" || c.GetAttribute("Name") != "BackOffMilliseconds")
            {
                c.Skip();
                continue;
            }
            if (long.TryParse(c.ReadElementContentAsString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
                backOff = TimeSpan.FromMilliseconds(ms);
        }
        return backOff;
    }

    /// <summary>
    /// The element children of the element <paramref name="r"/> is on, leaving the reader after its end. The caller
    /// must consume each child it is given (read its content or Skip it).
    /// </summary>
    private static IEnumerable<XmlReader> Children(XmlReader r)
    {
        if (r.NodeType != XmlNodeType.Element)
            throw new XmlException($"Expected an element, found {r.NodeType}.");
        if (r.IsEmptyElement)
        {
            r.Read();
            yield break;
        }
        var depth = r.Depth;
        r.Read();
        while (true)
        {
            while (r.NodeType != XmlNodeType.Element && !(r.NodeType == XmlNodeType.EndElement && r.Depth == depth) && !r.EOF)
                r.Read();
            if (r.EOF)
                throw new XmlException("The answer ends inside an element.");
            if (r.NodeType == XmlNodeType.EndElement)
            {
                r.Read();
                yield break;
            }
            yield return r;
        }
    }

    private static bool Bool(XmlReader r) => XmlConvert.ToBoolean(r.ReadElementContentAsString().Trim());
}
