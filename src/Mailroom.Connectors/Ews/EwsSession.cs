using Mailroom.Core.Accounts;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using Mailroom.Core.Connectors;
using Mailroom.Core.Sync;
using Microsoft.Extensions.Logging;

namespace Mailroom.Connectors.Ews;

/// <summary>
/// One mailbox's EWS client. Every request has a deadline and is retried while Exchange is busy or throttling
/// (ErrorServerBusy after its BackOffMilliseconds, capped; ErrorExceededConnectionCount, ErrorTimeoutExpired and 5xx
/// without a usable answer after a capped exponential backoff with jitter) or the connection fails. A 401 is a refused
/// login. What cannot be overcome is a <see cref="ConnectorException"/>.
/// </summary>
internal sealed partial class EwsSession(HttpClient http, EwsAccount account, EwsOptions options, TimeProvider time, ILogger logger) : IEwsSession
{
    private static readonly MediaTypeHeaderValue SoapXml = MediaTypeHeaderValue.Parse("text/xml; charset=utf-8");
    private readonly Backoff _backoff = new(options.RetryInitial, options.RetryCap);

    // Basic goes with every request (NTLM authenticates the connection, in the handler): made once per session.
    private readonly AuthenticationHeaderValue? _basic = account.Authentication == EwsAuthentication.Basic
        ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(account.User + ":" + account.Password)))
        : null;

    public SessionCounters Counters { get; } = new();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Posts <paramref name="request"/> until Exchange answers with something that is not a reason to retry: the read
    /// envelope, whose per-message statuses the caller judges (a batch can succeed in part).
    /// </summary>
    /// <param name="idempotent">False for a send: only "busy" answers (refused before any work) are retried.</param>
    private async Task<EwsEnvelope> CallAsync(byte[] request, string what, CancellationToken cancellationToken, bool idempotent = true)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, account.Url) { Content = new ByteArrayContent(request) };
            message.Content.Headers.ContentType = SoapXml;
            message.Headers.Authorization = _basic;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.RequestTimeout);
            TimeSpan? backOff = null;
            string failure;
            try
            {
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, deadline.Token);
                var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
                Counters.AddRequest(body.Length);
                if (response.StatusCode is HttpStatusCode.Unauthorized)
                    throw new ConnectorException(ConnectorErrorKind.AuthenticationFailed, $"EWS {what}: Exchange refused the credentials of {account.User} (401).");
                if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                    throw new ConnectorException(ConnectorErrorKind.Misconfigured, $"EWS {what}: {(int)response.StatusCode} from {account.Url}; is this the EWS URL?");
                var envelope = TryRead(body);
                if (envelope is null)
                {
                    failure = $"{(int)response.StatusCode} without a SOAP answer";
                    if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                        throw new ConnectorException(ConnectorErrorKind.Misconfigured, $"EWS {what}: {failure} from {account.Url}.");
                    if (!idempotent && response.StatusCode != HttpStatusCode.ServiceUnavailable)
                        throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS {what}: {failure}.");
                }
                else
                {
                    var busy = (envelope.Fault is { } fault ? [fault] : envelope.Messages.Select(m => m.Status))
                        .FirstOrDefault(EwsErrors.IsRetryable);
                    if (busy is null)
                        return envelope;
                    if (!idempotent && !EwsErrors.IsRefusedBeforeWork(busy))
                        throw EwsErrors.ToException(busy, what);
                    failure = busy.ToString();
                    backOff = busy.BackOff;
                }
            }
            catch (HttpRequestException ex)
            {
                Counters.AddRequest(0);
                failure = ex.Message;
                if (!idempotent)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS {what}: {failure}", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Counters.AddRequest(0);
                failure = $"no answer within {options.RequestTimeout}";
                if (!idempotent)
                    throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS {what}: {failure}", ex);
            }

            if (attempt >= options.MaxRetries)
                throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS {what}: still failing after {attempt + 1} tries: {failure}");
            var delay = backOff is { } b ? (b > options.RetryCap ? options.RetryCap : b) : _backoff.Delay(attempt, Random.Shared.NextDouble());
            Log.EwsRetry(logger, what, failure, delay.TotalSeconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private static EwsEnvelope? TryRead(byte[] body)
    {
        if (body.Length == 0)
            return null;
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            return EwsResponseReader.Read(stream);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>The one status of a one-message request; a fault or error that no retry mended is thrown.</summary>
    private static EwsContent Single(EwsEnvelope envelope, string what)
    {
        if (envelope.Fault is { } fault)
            throw EwsErrors.ToException(fault, what);
        if (envelope.Messages.Count != 1)
            throw new ConnectorException(ConnectorErrorKind.Transient, $"EWS {what}: expected one response message, got {envelope.Messages.Count}.");
        var (status, content) = envelope.Messages[0];
        if (!status.IsSuccess)
            throw EwsErrors.ToException(status, what);
        return content;
    }
}
