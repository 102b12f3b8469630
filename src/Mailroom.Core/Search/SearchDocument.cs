using System.Text;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Search;

/// <summary>
/// What the full-text index holds for one message, in four fields a query can address: the subject, the sender
/// (From and Sender names and addresses), the recipients (To, Cc, Bcc) and the body (the text part, or the HTML's text,
/// then the attachments' file names). Each field is <see cref="SearchTokenizer.IndexText"/> output.
/// </summary>
public sealed record SearchDocument(string Subject, string Sender, string Recipients, string Body)
{
    /// <summary>
    /// The body is indexed up to this many characters: PostgreSQL refuses a tsvector over 1 MB, and text past this
    /// point is quoted history or machine output far more often than something a person searches for.
    /// </summary>
    public const int MaxBodyLength = 100_000;

    /// <summary>The document of a normalized message (what ingest writes).</summary>
    public static SearchDocument Of(NormalizedMessage message) => Create(
        message.Subject,
        message.From.Concat(message.Sender).Select(a => (a.Name, a.Address)),
        message.To.Concat(message.Cc).Concat(message.Bcc).Select(a => (a.Name, a.Address)),
        message.TextBody,
        message.HtmlBody,
        message.Attachments.Select(a => a.FileName));

    /// <summary>The document from stored columns (what the backfill of older rows reads).</summary>
    public static SearchDocument Create(
        string? subject, IEnumerable<(string? Name, string Address)> senders, IEnumerable<(string? Name, string Address)> recipients,
        string? textBody, string? htmlBody, IEnumerable<string?> attachmentNames)
    {
        var body = new StringBuilder(BodyText(textBody, htmlBody, MaxBodyLength));
        foreach (var name in attachmentNames)
        {
            if (!string.IsNullOrWhiteSpace(name))
                body.Append('\n').Append(name);
        }

        return new SearchDocument(
            SearchTokenizer.IndexText(subject),
            SearchTokenizer.IndexText(People(senders)),
            SearchTokenizer.IndexText(People(recipients)),
            SearchTokenizer.IndexText(body.ToString()));
    }

    /// <summary>
    /// The readable body: the text part when there is one, else the HTML's text (tags dropped, entities decoded),
    /// at most <paramref name="maxLength"/> characters.
    /// </summary>
    public static string BodyText(string? textBody, string? htmlBody, int maxLength)
    {
        if (!string.IsNullOrWhiteSpace(textBody))
            return textBody.Length <= maxLength ? textBody : textBody[..maxLength];
        return string.IsNullOrEmpty(htmlBody) ? "" : HtmlText.FromHtml(htmlBody, maxLength);
    }

    private static string People(IEnumerable<(string? Name, string Address)> people)
    {
        var text = new StringBuilder();
        foreach (var (name, address) in people)
            text.Append(name).Append(' ').Append(address).Append('\n');

        return text.ToString();
    }
}
