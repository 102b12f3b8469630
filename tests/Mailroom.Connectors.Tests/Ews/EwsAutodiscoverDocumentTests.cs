using System.Text;
using System.Xml.Linq;
using Mailroom.Connectors.Ews;
using Mailroom.TestSupport.Ews;

namespace Mailroom.Connectors.Tests.Ews;

/// <summary>The POX Autodiscover request and the reading of answers: the one a real Exchange Online gave, and the documented redirects and errors.</summary>
public sealed class EwsAutodiscoverDocumentTests
{
    private static EwsAutodiscoverAnswer Read(string xml) => EwsAutodiscoverDocument.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    [Fact]
    public void The_recorded_Exchange_Online_answer_gives_the_EWS_URL()
    {
        var answer = EwsRecordings.Load("API/ExchangeAutodiscoverTest.testGetAPI.json").Single(a => a.StatusCode == 200);
        var read = EwsAutodiscoverDocument.Read(new MemoryStream(answer.Body));
        Assert.Null(read.Error);
        Assert.Equal(new Uri("https://outlook.office365.com/EWS/Exchange.asmx"), read.EwsUrl);
        Assert.Equal("Gareth Parker", read.DisplayName);
    }

    [Fact]
    public void The_request_names_the_address_and_the_outlook_response_schema()
    {
        var xml = XDocument.Parse(Encoding.UTF8.GetString(EwsAutodiscoverDocument.Request("user@example.com")));
        XNamespace ns = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
        Assert.Equal(ns + "Autodiscover", xml.Root!.Name);
        Assert.Equal("user@example.com", xml.Root.Element(ns + "Request")!.Element(ns + "EMailAddress")!.Value);
        Assert.Equal("http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a",
            xml.Root.Element(ns + "Request")!.Element(ns + "AcceptableResponseSchema")!.Value);
    }

    private const string Head = """<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">""";
    private const string Tail = "</Response></Autodiscover>";

    [Fact]
    public void EXPR_is_preferred_to_EXCH_and_plain_http_is_not_a_URL_to_send_credentials_to()
    {
        var both = Read(Head + """<Account><Action>settings</Action><Protocol><Type>EXCH</Type><EwsUrl>https://mail.corp.local/EWS/Exchange.asmx</EwsUrl></Protocol><Protocol><Type>EXPR</Type><EwsUrl>https://mail.example.com/EWS/Exchange.asmx</EwsUrl></Protocol></Account>""" + Tail);
        Assert.Equal(new Uri("https://mail.example.com/EWS/Exchange.asmx"), both.EwsUrl);

        var http = Read(Head + """<Account><Action>settings</Action><Protocol><Type>EXPR</Type><EwsUrl>http://mail.example.com/EWS/Exchange.asmx</EwsUrl></Protocol></Account>""" + Tail);
        Assert.Null(http.EwsUrl);
        Assert.NotNull(http.Error);
    }

    [Fact]
    public void Redirects_and_errors_are_read()
    {
        var address = Read(Head + "<Account><Action>redirectAddr</Action><RedirectAddr>user@hosted.example.net</RedirectAddr></Account>" + Tail);
        Assert.Equal("user@hosted.example.net", address.RedirectAddress);
        var url = Read(Head + "<Account><Action>redirectUrl</Action><RedirectUrl>https://autodiscover.example.net/autodiscover/autodiscover.xml</RedirectUrl></Account>" + Tail);
        Assert.Equal(new Uri("https://autodiscover.example.net/autodiscover/autodiscover.xml"), url.RedirectUrl);
        var error = Read("""<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response><Error Time="16:56:32.6761116" Id="1054084152"><ErrorCode>500</ErrorCode><Message>The e-mail address cannot be found.</Message><DebugData /></Error></Response></Autodiscover>""");
        Assert.Equal("Autodiscover error 500: The e-mail address cannot be found.", error.Error);
        Assert.Null(error.EwsUrl);
    }
}
