using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Mailroom.Core.Accounts;

namespace Mailroom.Connectors.Discovery;

/// <summary>
/// Thunderbird's autoconfig format (<c>clientConfig</c> version 1.1): <c>incomingServer</c> of type imap or pop3 and
/// <c>outgoingServer</c> of type smtp, each with hostname, port, socketType (SSL, STARTTLS, plain) and a username
/// pattern. Plaintext servers and other types are left out, with a note saying so.
/// </summary>
internal static class AutoconfigDocument
{
    public static (IReadOnlyList<ServerCandidate> Candidates, IReadOnlyList<string> Notes) Parse(string xml, MailAddress address)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
            });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new DiscoveryFailure($"not a valid XML document: {ex.Message}", ex);
        }
        var provider = document.Root is { Name.LocalName: "clientConfig" } root ? root.Element("emailProvider") : null;
        if (provider is null)
            throw new DiscoveryFailure("not an autoconfig document (no clientConfig/emailProvider)");

        var candidates = new List<ServerCandidate>();
        var notes = new List<string>();
        foreach (var server in provider.Elements().Where(e => e.Name.LocalName is "incomingServer" or "outgoingServer"))
        {
            var type = ((string?)server.Attribute("type") ?? "").Trim().ToLowerInvariant();
            MailProtocol? protocol = (server.Name.LocalName, type) switch
            {
                ("incomingServer", "imap") => MailProtocol.Imap,
                ("incomingServer", "pop3") => MailProtocol.Pop3,
                ("outgoingServer", "smtp") => MailProtocol.Smtp,
                _ => null,
            };
            if (protocol is null)
            {
                notes.Add($"{server.Name.LocalName} type '{type}' skipped");
                continue;
            }
            var host = UserNamePattern.Expand(Text(server, "hostname"), address).Trim().TrimEnd('.');
            var socketType = Text(server, "socketType").Trim().ToUpperInvariant();
            TransportSecurity? security = socketType switch
            {
                "SSL" or "TLS" => TransportSecurity.Tls,
                "STARTTLS" => TransportSecurity.StartTls,
                _ => null,
            };
            if (host.Length == 0 || !int.TryParse(Text(server, "port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                notes.Add($"{type} server without a valid hostname and port skipped");
                continue;
            }
            if (security is null)
            {
                notes.Add($"{type} {host}:{port} is plaintext ({(socketType.Length == 0 ? "no socketType" : socketType)}): not offered");
                continue;
            }
            var userPattern = Text(server, "username");
            candidates.Add(new ServerCandidate(protocol.Value, host, port, security.Value,
                UserNamePattern.Expand(userPattern.Length == 0 ? UserNamePattern.Address : userPattern, address)));
        }
        return (candidates, notes);
    }

    private static string Text(XElement server, string name) => (string?)server.Element(name) ?? "";
}
