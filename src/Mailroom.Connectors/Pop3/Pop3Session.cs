using Mailroom.Core.Connectors;
using MailKit.Net.Pop3;

namespace Mailroom.Connectors.Pop3;

/// <summary>
/// One authenticated POP3 connection. Owns its <see cref="Pop3Client"/>; one caller at a time. It only lists, reads
/// headers and retrieves: there is no code path that sends DELE, and QUIT therefore removes nothing.
/// </summary>
internal sealed class Pop3Session(Pop3Client client) : IPop3Session
{
    public SessionCounters Counters { get; } = new();

    public bool SupportsTop => client.Capabilities.HasFlag(Pop3Capabilities.Top);

    public Task<IReadOnlyList<Pop3Listing>> ListAsync(CancellationToken cancellationToken) =>
        ClassifiedAsync<IReadOnlyList<Pop3Listing>>("UIDL and LIST", async () =>
        {
            if (client.Count == 0)
                return [];
            var uidls = await client.GetMessageUidsAsync(cancellationToken);
            var sizes = await client.GetMessageSizesAsync(cancellationToken);
            if (uidls.Count != sizes.Count)
                throw new ConnectorException(ConnectorErrorKind.Transient,
                    $"The server listed {uidls.Count} UIDLs but {sizes.Count} sizes in one session.");
            return [.. uidls.Select((uidl, i) => new Pop3Listing(i, uidl, sizes[i]))];
        }, cancellationToken);

    public Task FetchHeadersAsync(
        IReadOnlyList<int> indexes, Func<int, ReadOnlyMemory<byte>, CancellationToken, ValueTask> onHeaders, CancellationToken cancellationToken) =>
        FetchAsync(indexes, headersOnly: true, async (index, raw, ct) =>
        {
            Counters.AddHeaders(raw.Length);
            await onHeaders(index, raw, ct);
        }, cancellationToken);

    public Task FetchMessagesAsync(
        IReadOnlyList<int> indexes, Func<int, ReadOnlyMemory<byte>, CancellationToken, ValueTask> onMessage, CancellationToken cancellationToken) =>
        FetchAsync(indexes, headersOnly: false, async (index, raw, ct) =>
        {
            Counters.AddBody(raw.Length);
            await onMessage(index, raw, ct);
        }, cancellationToken);

    public ValueTask DisposeAsync() => MailServices.CloseAsync(client);

    /// <summary>
    /// TOP or RETR for a batch, pipelined by MailKit when the server has PIPELINING. MailKit reads every response of the
    /// batch before it reports a refused one, so the connection stays in step; the batch is then fetched one by one,
    /// skipping the messages the server refuses (another client expunged them during this session).
    /// </summary>
    private async Task FetchAsync(
        IReadOnlyList<int> indexes, bool headersOnly, Func<int, ReadOnlyMemory<byte>, CancellationToken, ValueTask> onItem,
        CancellationToken cancellationToken)
    {
        if (indexes.Count == 0)
            return;
        var command = headersOnly ? "TOP" : "RETR";
        IList<Stream> streams;
        try
        {
            streams = await ClassifiedAsync($"{command} of {indexes.Count} messages", async () =>
                await client.GetStreamsAsync([.. indexes], headersOnly, cancellationToken), cancellationToken);
        }
        catch (ConnectorException ex) when (ex.Kind == ConnectorErrorKind.CommandFailed)
        {
            foreach (var index in indexes)
            {
                Stream stream;
                try
                {
                    stream = await ClassifiedAsync($"{command} {index + 1}", async () =>
                        await client.GetStreamAsync(index, headersOnly, cancellationToken), cancellationToken);
                }
                catch (ConnectorException one) when (one.Kind == ConnectorErrorKind.CommandFailed)
                {
                    continue;
                }
                await using (stream)
                    await onItem(index, await ReadAllAsync(stream, cancellationToken), cancellationToken);
            }
            return;
        }

        try
        {
            for (var i = 0; i < streams.Count; i++)
                await onItem(indexes[i], await ReadAllAsync(streams[i], cancellationToken), cancellationToken);
        }
        finally
        {
            foreach (var stream in streams)
                await stream.DisposeAsync();
        }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        var raw = new byte[stream.Length - stream.Position];
        await stream.ReadExactlyAsync(raw, cancellationToken);
        return raw;
    }

    /// <summary>Runs one protocol exchange and classifies its failure once; the caller's own cancellation passes through.</summary>
    private static async Task<T> ClassifiedAsync<T>(string during, Func<Task<T>> exchange, CancellationToken cancellationToken)
    {
        try
        {
            return await exchange();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Pop3Errors.Classify(ex, during);
        }
    }
}
