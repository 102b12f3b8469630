using System.Globalization;
using System.Text;
using Mailroom.Core.Connectors;
using Mailroom.Core.Messages;
using Mailroom.Core.Storage;

namespace Mailroom.Bench.Search;

/// <summary>
/// A generated mailbox with text to search: message i comes from one of 2,000 correspondents (the ApiBench shape),
/// 13 minutes apart; its subject and body are words drawn from a 20,000-word vocabulary with Zipf's law (s = 1), as
/// word frequencies in real text fall, so a query word can be picked by how many messages contain it. Every 20th
/// message has an attachment, every 50th a German, Russian or Japanese sentence. Deterministic: message i is the same
/// in every run.
/// </summary>
internal static class SearchCorpus
{
    public const int Correspondents = 2_000;
    public const int Vocabulary = 20_000;
    public const string Owner = "owner@bench.example";

    private static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Syllables =
        ["ka", "lo", "mer", "tin", "sa", "ven", "do", "ri", "gal", "pe", "nor", "ul", "tes", "ba", "qui", "zon", "fa", "mi", "ter", "os",
         "lan", "dre", "cu", "vis", "ho", "ram", "je", "pol", "sen", "ax"];
    private static readonly string[] Foreign =
        ["Sehr geehrte Frau Müller, vielen Dank für Ihre Bewerbung.", "Привет! Завтра собеседование с кандидатом.",
         "東京オフィスで面接を行います。"];

    /// <summary>The word of rank r (0 = most frequent).</summary>
    public static readonly string[] Words = BuildWords();

    private static readonly double[] Cumulative = BuildCumulative();

    /// <summary>The share of words in the text that are the word of rank r (Zipf, s = 1).</summary>
    public static double Frequency(int rank) => (Cumulative[rank] - (rank == 0 ? 0 : Cumulative[rank - 1])) / Cumulative[^1];

    public static string From(int i) => $"person{i % Correspondents}@corp{i % Correspondents % 50}.example";

    public static IngestedMessage Message(int i)
    {
        var random = new Random(i);
        var from = From(i);
        var cc = $"person{(i * 7) % Correspondents}@corp{(i * 7) % Correspondents % 50}.example";
        var date = Start.AddMinutes(i * 13);
        var subject = Capitalize(Text(random, random.Next(3, 7), 2_000));
        var body = new StringBuilder();
        var words = random.Next(60, 250);
        while (words > 0)
        {
            var sentence = Math.Min(words, random.Next(6, 16));
            body.Append(Capitalize(Text(random, sentence, Vocabulary))).Append(". ");
            words -= sentence;
        }

        if (i % 50 == 0)
            body.Append(Foreign[i / 50 % Foreign.Length]);
        var text = body.ToString().TrimEnd();
        var attachments = i % 20 == 0
            ? new[] { new AttachmentInfo($"report-{Words[random.Next(0, 2_000)]}.pdf", "application/pdf", 50_000, null, false, "2") }
            : [];
        var raw = Encoding.UTF8.GetBytes(
            $"From: {from}\r\nTo: {Owner}\r\nCc: {cc}\r\nSubject: {subject}\r\nDate: {date:R}\r\nMessage-ID: <{i}@search-bench>\r\n" +
            $"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n");
        var message = new NormalizedMessage
        {
            MessageId = $"{i}@search-bench", Subject = subject, Date = date, TextBody = text,
            Snippet = text.Length > 200 ? text[..200] : text,
            From = [new MessageAddress(null, from)], To = [new MessageAddress(null, Owner)], Cc = [new MessageAddress(null, cc)],
            Attachments = attachments,
        };
        return IngestedMessage.Of(new FetchedMessage((uint)(i + 1), MessageFlags.Seen, [], date, raw), message);
    }

    /// <summary>Two adjacent words of message i's body: a phrase that occurs at least once.</summary>
    public static string Phrase(int i)
    {
        var body = Message(i).Message.TextBody!;
        var words = body.Split([' ', '.'], StringSplitOptions.RemoveEmptyEntries);
        var at = new Random(i * 31).Next(0, Math.Min(words.Length, 40) - 1);
        return $"\"{words[at]} {words[at + 1]}\"";
    }

    private static string Text(Random random, int count, int vocabulary)
    {
        var text = new StringBuilder();
        var top = Cumulative[vocabulary - 1];
        for (var w = 0; w < count; w++)
        {
            var rank = Array.BinarySearch(Cumulative, 0, vocabulary, random.NextDouble() * top);
            rank = rank < 0 ? ~rank : rank;
            text.Append(w == 0 ? "" : " ").Append(Words[Math.Min(rank, vocabulary - 1)]);
        }

        return text.ToString();
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];

    private static string[] BuildWords()
    {
        var random = new Random(7);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new string[Vocabulary];
        for (var r = 0; r < Vocabulary;)
        {
            var length = r < 100 ? random.Next(1, 3) : random.Next(2, 5);
            var word = string.Concat(Enumerable.Range(0, length).Select(_ => Syllables[random.Next(Syllables.Length)]));
            if (seen.Add(word))
                words[r++] = word;
        }

        return words;
    }

    private static double[] BuildCumulative()
    {
        var cumulative = new double[Vocabulary];
        double sum = 0;
        for (var r = 0; r < Vocabulary; r++)
            cumulative[r] = sum += 1.0 / (r + 1);
        return cumulative;
    }
}
