namespace Mailroom.Storage.Queries;

/// <summary>A message a search found, with its subject and a snippet as HTML: escaped text with the matches in &lt;mark&gt;.</summary>
public sealed record SearchHit(MessageSummary Message, string SubjectHtml, string SnippetHtml);
