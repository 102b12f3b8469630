namespace Mailroom.Core.Connectors;

/// <summary>A session that can ask the server which messages of the open folder name an address.</summary>
public interface IAddressSearch
{
    /// <summary>
    /// UIDs in the open folder whose From, To, Cc or Reply-To contains any of the addresses (IMAP <c>UID SEARCH</c>,
    /// a substring match: callers check the messages themselves).
    /// </summary>
    Task<IReadOnlyList<uint>> SearchUidsByAddressAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken);
}
