namespace Mailroom.Core.Html;

/// <summary>One thing the email policy did to a message: <paramref name="What"/> says what and why, <paramref name="Url"/> where it pointed.</summary>
public sealed record PrivacyFinding(PrivacyFindingKind Kind, string What, string? Url);
