using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Contacts;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;
using Mailroom.Core.Sync;

namespace Mailroom.Bench.Shared;

/// <summary>
/// The generated mailbox ApiBench and ContactsBench measure (linked into both, so their numbers stay comparable):
/// <see cref="Correspondents"/> addresses on 50 domains, message i from one of them to the owner with one Cc among them,
/// 13 minutes apart, stored as sync would store it (normalized here directly: the corpus is about storage, not MIME).
/// </summary>
internal static class BenchCorpus
{
    public const int Correspondents = 2_000;
    public const string Owner = "owner@bench.example";

    private static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Contact <paramref name="c"/>: the correspondent of the same number (the first half exist before the messages).</summary>
    public static ContactInput Contact(int c) => new($"c{c}", $"Contact {c}", [$"person{c}@corp{c % 50}.example"]);

    /// <summary>Message <paramref name="i"/> (UID i + 1); <paramref name="prefix"/> "stranger" names addresses no contact has.</summary>
    public static IngestedMessage Message(int i, MessageFlags flags, string prefix = "person")
    {
        var from = $"{prefix}{i % Correspondents}@corp{i % Correspondents % 50}.example";
        var cc = $"{prefix}{(i * 7) % Correspondents}@corp{(i * 7) % Correspondents % 50}.example";
        var date = Start.AddMinutes(i * 13);
        var raw = Encoding.ASCII.GetBytes(
            $"From: {from}\r\nTo: {Owner}\r\nCc: {cc}\r\nSubject: Message {i}\r\nDate: {date:R}\r\nMessage-ID: <{i}@bench>\r\n\r\nBody {i}.\r\n");
        var message = new NormalizedMessage
        {
            MessageId = $"{i}@bench", Subject = $"Message {i}", Date = date, Snippet = $"Body {i}.", TextBody = $"Body {i}.",
            From = [new MessageAddress(null, from)], To = [new MessageAddress(null, Owner)], Cc = [new MessageAddress(null, cc)],
        };
        return IngestedMessage.Of(new FetchedMessage((uint)(i + 1), flags, [], date, raw), message);
    }
}
