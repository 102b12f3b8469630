using Mailroom.Core.Connectors;
using Mailroom.Core.Identity;
using Mailroom.Core.Messages;

namespace Mailroom.Core.Storage;

/// <summary>A fetched message after parsing: everything the store needs to write it in one go.</summary>
/// <param name="Fetched">The server's facts and the raw bytes.</param>
/// <param name="Message">The normalized fields.</param>
/// <param name="RawSha256">Lower-case hex SHA-256 of the raw bytes; raw MIME is stored once by this key.</param>
/// <param name="IdentityKey">The message's identity within its mailbox (see <see cref="Identity.MessageIdentity"/>).</param>
public sealed record IngestedMessage(
    FetchedMessage Fetched,
    NormalizedMessage Message,
    string RawSha256,
    string IdentityKey)
{
    /// <summary>A fetched message and its normalized fields, with the raw hash and identity derived as sync derives them.</summary>
    public static IngestedMessage Of(FetchedMessage fetched, NormalizedMessage message)
    {
        var sha = MessageIdentity.Sha256Hex(fetched.Raw.Span);
        return new IngestedMessage(fetched, message, sha, MessageIdentity.Compute(message, sha, fetched.ProviderId));
    }
}
