using System.Collections.Concurrent;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Ews;

/// <summary>
/// POX Autodiscover (POST /autodiscover/autodiscover.xml, MS-OXDSCLI) on the same host and login as the EWS endpoint:
/// the request must be the 2006 request schema asking for the 2006a response schema; the answer is the EWS URL of
/// this server (EXPR), or a redirectAddr for addresses in <see cref="AutodiscoverRedirects"/>, or error 500 for
/// addresses it does not know.
/// </summary>
public sealed partial class FakeEwsServer
{
    private const string RequestSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    private const string ResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
    private readonly ConcurrentQueue<string> _autodiscovered = new();

    /// <summary>Addresses answered with a redirectAddr to another address.</summary>
    public ConcurrentDictionary<string, string> AutodiscoverRedirects { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Addresses this server gives settings for (any other gets an Autodiscover error).</summary>
    public ConcurrentBag<string> AutodiscoverAddresses { get; } = [];

    /// <summary>Each address asked about, in order.</summary>
    public IReadOnlyList<string> Autodiscovered => [.. _autodiscovered];

    private async Task AutodiscoverAsync(HttpContext context)
    {
        if (!(Ntlm ? NtlmAuthenticated(context) : Authenticated(context.Request)))
        {
            context.Response.StatusCode = 401;
            if (context.Response.Headers.WWWAuthenticate.Count == 0)
                context.Response.Headers.WWWAuthenticate = Ntlm ? "NTLM" : "Basic realm=\"127.0.0.1\"";
            return;
        }
        XElement request;
        try
        {
            request = await XElement.LoadAsync(context.Request.Body, LoadOptions.None, context.RequestAborted);
        }
        catch (XmlException ex)
        {
            _problems.Enqueue("autodiscover request: " + ex.Message);
            context.Response.StatusCode = 400;
            return;
        }
        var r = request.Element(XName.Get("Request", RequestSchema));
        var address = (string?)r?.Element(XName.Get("EMailAddress", RequestSchema));
        if (request.Name != XName.Get("Autodiscover", RequestSchema) || address is null
            || (string?)r!.Element(XName.Get("AcceptableResponseSchema", RequestSchema)) != ResponseSchema)
        {
            _problems.Enqueue("autodiscover request: not a 2006 POX request for the 2006a response schema");
            context.Response.StatusCode = 400;
            return;
        }
        _autodiscovered.Enqueue(address);

        XNamespace a = ResponseSchema;
        XElement response;
        if (AutodiscoverRedirects.TryGetValue(address, out var next))
        {
            response = new XElement(a + "Response", new XElement(a + "Account",
                new XElement(a + "Action", "redirectAddr"), new XElement(a + "RedirectAddr", next)));
        }
        else if (AutodiscoverAddresses.Contains(address, StringComparer.OrdinalIgnoreCase))
        {
            response = new XElement(a + "Response",
                new XElement(a + "User", new XElement(a + "DisplayName", "Fake Exchange user"), new XElement(a + "EmailAddress", address)),
                new XElement(a + "Account", new XElement(a + "AccountType", "email"), new XElement(a + "Action", "settings"),
                    new XElement(a + "Protocol", new XElement(a + "Type", "EXPR"), new XElement(a + "EwsUrl", Url.ToString()))));
        }
        else
        {
            XNamespace e = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
            response = new XElement(e + "Response", new XElement(e + "Error",
                new XElement(e + "ErrorCode", "500"), new XElement(e + "Message", "The email address can't be found.")));
        }
        var document = new XElement(XName.Get("Autodiscover", "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"), response);
        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(document.ToString(SaveOptions.DisableFormatting)), context.RequestAborted);
    }
}
