using System.Text;
using Mailroom.Connectors.Ews;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Tests.Ews;

/// <summary>Faults and error responses in the shape Exchange documents them, read and classified.</summary>
public sealed class EwsErrorTests
{
    private static EwsEnvelope Read(string xml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        return EwsResponseReader.Read(stream);
    }

    [Fact]
    public void A_server_busy_fault_gives_its_back_off()
    {
        var envelope = Read("""
            <?xml version="1.0" encoding="utf-8"?>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
              <faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode>
              <faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring>
              <detail>
                <e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode>
                <e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">The server cannot service this request right now. Try again later.</e:Message>
                <t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
                  <t:Value Name="Policy">DefaultThrottlingPolicy</t:Value>
                  <t:Value Name="BackOffMilliseconds">29774</t:Value>
                </t:MessageXml>
              </detail>
            </s:Fault></s:Body></s:Envelope>
            """);
        var fault = Assert.IsType<EwsStatus>(envelope.Fault);
        Assert.Equal("ErrorServerBusy", fault.ResponseCode);
        Assert.Equal(TimeSpan.FromMilliseconds(29774), fault.BackOff);
        Assert.True(EwsErrors.IsRetryable(fault));
        Assert.Empty(envelope.Messages);
    }

    [Fact]
    public void A_fault_without_detail_is_named_by_its_faultcode()
    {
        var fault = Read("""
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
              <faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorSchemaValidation</faultcode>
              <faultstring>The request failed schema validation.</faultstring>
            </s:Fault></s:Body></s:Envelope>
            """).Fault!;
        Assert.Equal("ErrorSchemaValidation", fault.ResponseCode);
        Assert.Equal(ConnectorErrorKind.Misconfigured, EwsErrors.KindOf(fault));
    }

    [Fact]
    public void An_invalid_sync_state_is_recognised()
    {
        var status = Read("""
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <m:SyncFolderItemsResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><m:ResponseMessages>
              <m:SyncFolderItemsResponseMessage ResponseClass="Error">
                <m:MessageText>Synchronization state data is corrupt or otherwise invalid.</m:MessageText>
                <m:ResponseCode>ErrorInvalidSyncStateData</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>
              </m:SyncFolderItemsResponseMessage>
            </m:ResponseMessages></m:SyncFolderItemsResponse></s:Body></s:Envelope>
            """).FirstStatus;
        Assert.False(status.IsSuccess);
        Assert.True(EwsErrors.IsInvalidSyncState(status));
        Assert.False(EwsErrors.IsRetryable(status));
    }

    [Theory]
    [InlineData("ErrorServerBusy", ConnectorErrorKind.Transient)]
    [InlineData("ErrorExceededConnectionCount", ConnectorErrorKind.Transient)]
    [InlineData("ErrorTimeoutExpired", ConnectorErrorKind.Transient)]
    [InlineData("ErrorInternalServerTransientError", ConnectorErrorKind.Transient)]
    [InlineData("ErrorAccessDenied", ConnectorErrorKind.Misconfigured)]
    [InlineData("ErrorNonExistentMailbox", ConnectorErrorKind.Misconfigured)]
    [InlineData("ErrorInvalidServerVersion", ConnectorErrorKind.Misconfigured)]
    [InlineData("ErrorItemNotFound", ConnectorErrorKind.CommandFailed)]
    [InlineData("ErrorMessageSizeExceeded", ConnectorErrorKind.CommandFailed)]
    public void Response_codes_are_classified(string code, ConnectorErrorKind kind)
    {
        var status = new EwsStatus("Error", code, null, null);
        Assert.Equal(kind, EwsErrors.KindOf(status));
        Assert.Equal(kind == ConnectorErrorKind.Transient, EwsErrors.IsRetryable(status));
    }

    [Fact]
    public void What_is_not_a_SOAP_answer_is_an_XML_error()
    {
        Assert.Throws<System.Xml.XmlException>(() => Read("<html><body>Service Unavailable</body></html>"));
    }
}
