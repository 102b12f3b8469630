using System.Text;
using Mailroom.Core.Connectors;

namespace Mailroom.Core.Tests.Sync.Pop3;

/// <summary>An in-memory POP3 maildrop behind <see cref="IPop3Session"/>: messages in server order, each with its UIDL.</summary>
internal sealed class FakePop3Session : IPop3Session
{
    public List<(string Uidl, byte[] Raw)> Messages { get; } = [];

    public SessionCounters Counters { get; } = new();

    public bool SupportsTop { get; set; } = true;

    /// <summary>UIDLs whose RETR the server refuses (expunged by another client during the session).</summary>
    public HashSet<string> Refused { get; } = [];

    /// <summary>Throws this once that many bodies have been delivered in this session (a dropped connection).</summary>
    public (int After, Exception Error)? FailRetr { get; set; }

    public static byte[] Message(string id, bool withMessageId = true) => Encoding.ASCII.GetBytes(
        $"From: a@example.org\r\nTo: b@example.org\r\nSubject: {id}\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n" +
        (withMessageId ? $"Message-ID: <{id}@example.org>\r\n" : "") + $"\r\nbody {id}\r\n");

    public FakePop3Session Add(string uidl, string id, bool withMessageId = true)
    {
        Messages.Add((uidl, Message(id, withMessageId)));
        return this;
    }

    /// <summary>A new session on the same maildrop, as the next connection would see it.</summary>
    public FakePop3Session Reconnect()
    {
        var next = new FakePop3Session { SupportsTop = SupportsTop };
        next.Messages.AddRange(Messages);
        return next;
    }

    public Task<IReadOnlyList<Pop3Listing>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Pop3Listing>>([.. Messages.Select((m, i) => new Pop3Listing(i, m.Uidl, m.Raw.Length))]);

    public async Task FetchHeadersAsync(
        IReadOnlyList<int> indexes, Func<int, ReadOnlyMemory<byte>, CancellationToken, ValueTask> onHeaders, CancellationToken cancellationToken)
    {
        if (!SupportsTop)
            throw new ConnectorException(ConnectorErrorKind.CommandFailed, "TOP not supported");
        foreach (var index in indexes)
        {
            var raw = Messages[index].Raw;
            var end = raw.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
            Counters.AddHeaders(end);
            await onHeaders(index, raw.AsMemory(0, end), cancellationToken);
        }
    }

    public async Task FetchMessagesAsync(
        IReadOnlyList<int> indexes, Func<int, ReadOnlyMemory<byte>, CancellationToken, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        foreach (var index in indexes)
        {
            if (FailRetr is { } fail && Counters.BodiesFetched >= fail.After)
                throw fail.Error;
            var (uidl, raw) = Messages[index];
            if (Refused.Contains(uidl))
                continue;
            Counters.AddBody(raw.Length);
            await onMessage(index, raw, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
