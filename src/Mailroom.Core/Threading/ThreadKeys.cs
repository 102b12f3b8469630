namespace Mailroom.Core.Threading;

/// <summary>
/// The keys that join messages into one thread: two messages sharing a key are in the same thread. A message's keys
/// are its own Message-ID and every ancestor it names (so a reply joins its parent, and two replies to a missing
/// parent join each other through the ghost's id), and Outlook's conversation id. A message with a provider thread
/// id has that id as its only key: where the provider threads, its threads win, and references never join two of them.
/// </summary>
public static class ThreadKeys
{
    public const string MessageIdPrefix = "m:";
    public const string ProviderPrefix = "p:";
    public const string ConversationPrefix = "x:";

    /// <summary>The message's keys, without repeats.</summary>
    public static IReadOnlyList<string> For(ThreadableMessage message)
    {
        if (message.ProviderThreadId is { Length: > 0 } provider)
            return [ProviderPrefix + provider];

        var ancestors = message.Ancestors();
        var keys = new List<string>(ancestors.Count + 2);
        if (message.MessageId is { } id)
            keys.Add(MessageIdPrefix + id);
        foreach (var ancestor in ancestors)
        {
            var key = MessageIdPrefix + ancestor;
            if (!keys.Contains(key))
                keys.Add(key);
        }

        if (message.ConversationIndex is { Length: > 0 } conversation)
            keys.Add(ConversationPrefix + conversation);
        return keys;
    }

    /// <summary>Whether a key names a provider's conversation rather than a message.</summary>
    public static bool IsProviderKey(string key) =>
        key.StartsWith(ProviderPrefix, StringComparison.Ordinal) || key.StartsWith(ConversationPrefix, StringComparison.Ordinal);
}
