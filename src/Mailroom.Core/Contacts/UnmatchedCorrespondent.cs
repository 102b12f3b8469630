namespace Mailroom.Core.Contacts;

/// <summary>An address that often appears in an organization's mail and belongs to no contact: a candidate contact.</summary>
/// <param name="Address">The normalized address.</param>
/// <param name="Name">A display name seen with it, if any.</param>
/// <param name="Messages">Distinct messages (per mailbox) naming it in From, Reply-To, To or Cc.</param>
/// <param name="LastSeen">The newest of those messages' dates.</param>
public sealed record UnmatchedCorrespondent(string Address, string? Name, int Messages, DateTimeOffset? LastSeen);
