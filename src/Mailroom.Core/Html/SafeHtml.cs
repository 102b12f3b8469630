namespace Mailroom.Core.Html;

/// <summary>The result of the email policy: <paramref name="Html"/> is safe to serve (a full document for viewing, a fragment for sending).</summary>
public sealed record SafeHtml(string Html, PrivacyReport Report);
