namespace Mailroom.Server.Api.V1;

/// <summary>What an OAuth link connects: as <c>/oauth/start</c>'s parameters, and how long it may wait.</summary>
internal sealed record OAuthLinkRequest(
    string? Provider, string? User, string? Imap, string? Security, string? Address, string? Name, long? Mailbox, int? ExpiresInMinutes,
    string? Protocol = null);

/// <summary>The link to hand to the person (opened once) and until when it works.</summary>
internal sealed record OAuthLinkJson(string Url, DateTimeOffset ExpiresAt);
