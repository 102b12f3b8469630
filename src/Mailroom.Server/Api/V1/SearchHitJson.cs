using Mailroom.Storage.Queries;

namespace Mailroom.Server.Api.V1;

/// <summary>A message a search found: the listed message, and its subject and snippet as escaped HTML with the matches in &lt;mark&gt;.</summary>
internal sealed record SearchHitJson(
    long Id, long MailboxId, long? ThreadId, string? Subject, string? From, string? To, DateTimeOffset? Date, string Snippet,
    bool HasAttachments, long Size, bool Unread, string SubjectHtml, string SnippetHtml)
{
    public static SearchHitJson Of(SearchHit hit)
    {
        var m = hit.Message;
        return new(m.Id, m.MailboxId, m.ThreadId, m.Subject, m.From, m.To, m.Date, m.Snippet, m.HasAttachments, m.Size, m.Unread,
            hit.SubjectHtml, hit.SnippetHtml);
    }
}
