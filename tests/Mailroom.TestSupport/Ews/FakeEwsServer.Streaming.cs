using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Mailroom.TestSupport.Ews;

/// <summary>
/// Streaming notifications as Exchange 2010 SP1 and later give them: Subscribe with a StreamingSubscriptionRequest
/// (SubscribeToAllFolders) returns a subscription id; GetStreamingEvents holds the answer open and writes one SOAP
/// envelope (no XML declaration, as Exchange writes them into one chunked answer) per batch of events, and a last one
/// with ConnectionStatus Closed when the connection's time is up. Without <see cref="Streaming"/>, Subscribe is refused
/// as an unknown operation, as a server without streaming does.
/// </summary>
public sealed partial class FakeEwsServer
{
    private readonly ConcurrentDictionary<string, long> _subscriptions = new(StringComparer.Ordinal);
    private long _streamingConnections;

    /// <summary>Offer streaming subscriptions (true by default).</summary>
    public bool Streaming { get; set; } = true;

    /// <summary>Closes each GetStreamingEvents connection after this long instead of the minutes asked for (tests of renewal).</summary>
    public TimeSpan? StreamingConnectionLimit { get; set; }

    /// <summary>GetStreamingEvents connections opened.</summary>
    public long StreamingConnections => Interlocked.Read(ref _streamingConnections);

    /// <summary>Every subscription is forgotten (as after a server restart): the next GetStreamingEvents gets ErrorSubscriptionNotFound.</summary>
    public void ForgetSubscriptions() => _subscriptions.Clear();

    private byte[] Subscribe(XElement request)
    {
        var streaming = request.Element(Mn("StreamingSubscriptionRequest"));
        return Response("Subscribe", [w =>
        {
            if (streaming is null || (string?)streaming.Attribute("SubscribeToAllFolders") != "true")
            {
                Status(w, "Error", "ErrorInvalidSubscriptionRequest", "The fake offers streaming subscriptions to all folders only.");
                return;
            }
            var id = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            _subscriptions[id] = Mailbox.Sequence;
            Status(w, "Success", "NoError", null);
            w.WriteElementString("SubscriptionId", M, id);
        }]);
    }

    private async Task StreamEventsAsync(HttpContext context, XElement request)
    {
        Interlocked.Increment(ref _streamingConnections);
        var id = (string)request.Element(Mn("SubscriptionIds"))!.Element(Tn("SubscriptionId"))!;
        var minutes = int.Parse((string)request.Element(Mn("ConnectionTimeout"))!, CultureInfo.InvariantCulture);
        var until = DateTimeOffset.UtcNow + (StreamingConnectionLimit ?? TimeSpan.FromMinutes(minutes));
        context.Response.ContentType = "text/xml; charset=utf-8";
        if (!_subscriptions.TryGetValue(id, out var seen))
        {
            await SendAsync(context, StreamEnvelope(w => Status(w, "Error", "ErrorSubscriptionNotFound", "The subscription was not found.")));
            return;
        }
        await context.Response.StartAsync(context.RequestAborted);
        while (!context.RequestAborted.IsCancellationRequested && DateTimeOffset.UtcNow < until)
        {
            var now = Mailbox.Sequence;
            if (now > seen && _subscriptions.ContainsKey(id))
            {
                _subscriptions[id] = seen = now;
                await SendAsync(context, StreamEnvelope(w =>
                {
                    Status(w, "Success", "NoError", null);
                    w.WriteStartElement("Notifications", M);
                    w.WriteStartElement("Notification", T);
                    w.WriteElementString("SubscriptionId", T, id);
                    w.WriteStartElement("NewMailEvent", T);
                    w.WriteElementString("TimeStamp", T, XmlConvert.ToString(DateTime.UtcNow, XmlDateTimeSerializationMode.Utc));
                    IdElement(w, "ItemId", "AAMkAGNvbmNyZXRl", "CQAAAA==");
                    IdElement(w, "ParentFolderId", Mailbox.FolderId("inbox"), "AQAAAA==");
                    w.WriteEndElement();
                    w.WriteEndElement();
                    w.WriteEndElement();
                }));
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        await SendAsync(context, StreamEnvelope(w =>
        {
            Status(w, "Success", "NoError", null);
            w.WriteElementString("ConnectionStatus", M, "Closed");
        }));
    }

    private async Task SendAsync(HttpContext context, byte[] envelope)
    {
        foreach (var problem in EwsSchemas.Problems(_schemas, envelope))
            _problems.Enqueue("streamed answer: " + problem);
        // Without its XML declaration: the envelopes follow one another in one answer.
        var text = Encoding.UTF8.GetString(envelope);
        if (text.StartsWith("<?xml", StringComparison.Ordinal))
            text = text[(text.IndexOf("?>", StringComparison.Ordinal) + 2)..];
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static byte[] StreamEnvelope(Action<XmlWriter> message) => Response("GetStreamingEvents", [message]);
}
