using System.Net;
using System.Xml;
using Mailroom.Core.Connectors;

namespace Mailroom.Connectors.Ews;

/// <summary>Streaming notifications: Subscribe (StreamingSubscriptionRequest) and the GetStreamingEvents stream.</summary>
internal sealed partial class EwsSession
{
    private static readonly XmlReaderSettings StreamSettings = new()
    {
        Async = true,
        ConformanceLevel = ConformanceLevel.Fragment, // one SOAP envelope after another on one chunked answer
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    private static readonly HashSet<string> EventNames = new(StringComparer.Ordinal)
    {
        "CopiedEvent", "CreatedEvent", "DeletedEvent", "ModifiedEvent", "MovedEvent", "NewMailEvent",
    };

    public async Task<string?> SubscribeStreamingAsync(CancellationToken cancellationToken)
    {
        var envelope = await CallAsync(EwsRequests.SubscribeStreaming(options.ServerVersion), "Subscribe", cancellationToken);
        var status = envelope.Fault ?? envelope.FirstStatus;
        // Before Exchange 2010 SP1 (or with streaming turned off) the request is refused as invalid: poll instead.
        if (status is { IsSuccess: false } && status.ResponseCode is "ErrorInvalidRequest" or "ErrorInvalidOperation" or "ErrorInvalidServerVersion"
            or "ErrorSchemaValidation" or "ErrorInvalidSubscriptionRequest")
            return null;
        return Single(envelope, "Subscribe").SubscriptionId
            ?? throw new ConnectorException(ConnectorErrorKind.Transient, "EWS Subscribe: the answer has no SubscriptionId.");
    }

    public async Task<bool> WaitForEventsAsync(string subscriptionId, int minutes, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, account.Url)
        {
            Content = new ByteArrayContent(EwsRequests.GetStreamingEvents(options.ServerVersion, subscriptionId, minutes)),
        };
        message.Content.Headers.ContentType = SoapXml;
        message.Headers.Authorization = _basic;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(minutes) + options.RequestTimeout); // Exchange closes it at the minutes asked
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            Counters.AddRequest(0);
            if (response.StatusCode is HttpStatusCode.Unauthorized)
                throw new ConnectorException(ConnectorErrorKind.AuthenticationFailed, $"EWS GetStreamingEvents: Exchange refused the credentials of {account.User} (401).");
            if (!response.IsSuccessStatusCode)
                throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS GetStreamingEvents: HTTP {(int)response.StatusCode}.");
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            return await ReadStreamAsync(body, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // no word from Exchange within its own timeout: open it again
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or XmlException)
        {
            throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS GetStreamingEvents: {ex.Message}", ex);
        }
    }

    /// <summary>True at the first envelope that carries an event; false when an envelope says the connection is closed.</summary>
    private static async Task<bool> ReadStreamAsync(Stream body, CancellationToken cancellationToken)
    {
        using var r = XmlReader.Create(body, StreamSettings);
        string? code = null;
        var events = false;
        var closed = false;
        // ReadElementContentAsString leaves the reader on the next node already: only other nodes read on.
        var more = await r.ReadAsync().WaitAsync(cancellationToken);
        while (more)
        {
            if (r.NodeType == XmlNodeType.Element && r.LocalName is "ResponseCode" or "ConnectionStatus")
            {
                var name = r.LocalName;
                var value = (await r.ReadElementContentAsStringAsync().WaitAsync(cancellationToken)).Trim();
                if (name == "ResponseCode")
                    code = value;
                else
                    closed = value == "Closed";
                more = !r.EOF;
                continue;
            }
            if (r.NodeType == XmlNodeType.Element && EventNames.Contains(r.LocalName))
                events = true;
            if (r.NodeType == XmlNodeType.EndElement && r.LocalName == "Envelope")
            {
                if (code is { } c && c != "NoError")
                {
                    var status = new EwsStatus("Error", c, null, null);
                    // ErrorSubscriptionNotFound, ErrorExpiredSubscription, ErrorInvalidSubscription: subscribe again.
                    throw EwsErrors.IsRetryable(status) ? EwsErrors.ToException(status, "GetStreamingEvents")
                        : new ConnectorException(ConnectorErrorKind.CommandFailed, $"EWS GetStreamingEvents: {c}");
                }
                if (events)
                    return true;
                if (closed)
                    return false;
                code = null;
            }
            more = await r.ReadAsync().WaitAsync(cancellationToken);
        }
        return events;
    }
}
