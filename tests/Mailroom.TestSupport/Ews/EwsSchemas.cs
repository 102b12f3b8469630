using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Mailroom.TestSupport.Ews;

/// <summary>
/// The EWS schemas as Exchange publishes them (../shared/providers/ews/schema, from Garethp/php-ews, BSD-3-Clause),
/// for holding the connector's requests and the fake's answers to them. The schemas import the xml: namespace without
/// a location; a local definition of the one attribute they use (xml:lang) stands in for the W3C document.
/// </summary>
public static class EwsSchemas
{
    private const string Soap = "http://schemas.xmlsoap.org/soap/envelope/";

    private const string XmlNamespaceSchema = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/XML/1998/namespace" xml:lang="en">
          <xs:attribute name="lang" type="xs:language" />
        </xs:schema>
        """;

    private static readonly Lazy<XmlSchemaSet?> Set = new(Load);

    /// <summary>../shared/providers/ews (or MAILROOM_PROVIDERS/ews), or null when this machine has no copy.</summary>
    public static string? ProvidersEwsDirectory()
    {
        if (Environment.GetEnvironmentVariable("MAILROOM_PROVIDERS") is { Length: > 0 } configured)
            return Directory.Exists(Path.Combine(configured, "ews")) ? Path.Combine(configured, "ews") : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "providers", "ews");
            if (File.Exists(Path.Combine(candidate, "schema", "messages.xsd")))
                return candidate;
        }
        return null;
    }

    /// <summary>Skips the calling test, saying why, when the schemas are not on this machine.</summary>
    public static XmlSchemaSet Require()
    {
        if (Set.Value is null)
            Xunit.Assert.Skip("../shared/providers/ews/schema not found (or MAILROOM_PROVIDERS unset): EWS schema validation did not run.");
        return Set.Value;
    }

    /// <summary>
    /// Every problem of a SOAP envelope: its header blocks and its body's element, each validated against the EWS
    /// schemas as the global element it must be. Empty when it is valid.
    /// </summary>
    public static IReadOnlyList<string> Problems(XmlSchemaSet schemas, byte[] soap)
    {
        var problems = new List<string>();
        XDocument document;
        try
        {
            using var stream = new MemoryStream(soap);
            document = XDocument.Load(stream);
        }
        catch (XmlException ex)
        {
            return [$"not XML: {ex.Message}"];
        }
        var root = document.Root!;
        if (root.Name != XName.Get("Envelope", Soap))
            return [$"the root is {root.Name}, not soap:Envelope"];
        var body = root.Element(XName.Get("Body", Soap));
        if (body is null || body.Elements().Count() != 1)
            return ["soap:Body must hold exactly one element"];
        var parts = (root.Element(XName.Get("Header", Soap))?.Elements() ?? []).Append(body.Elements().Single());
        foreach (var part in parts)
        {
            var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
            settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
            settings.ValidationEventHandler += (_, e) => problems.Add($"{part.Name.LocalName}: {e.Severity} {e.Message} (line {e.Exception?.LineNumber})");
            using var reader = XmlReader.Create(new StringReader(part.ToString(SaveOptions.DisableFormatting)), settings);
            while (reader.Read())
            {
            }
        }
        return problems;
    }

    private static XmlSchemaSet? Load()
    {
        if (ProvidersEwsDirectory() is not { } dir)
            return null;
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        using (var xml = XmlReader.Create(new StringReader(XmlNamespaceSchema)))
            set.Add(XmlSchema.Read(xml, null)!);
        set.Add("http://schemas.microsoft.com/exchange/services/2006/messages", Path.Combine(dir, "schema", "messages.xsd"));
        set.Compile();
        return set;
    }
}
