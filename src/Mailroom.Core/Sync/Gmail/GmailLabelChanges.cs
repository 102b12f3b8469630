namespace Mailroom.Core.Sync.Gmail;

/// <summary>Label memberships to add and to remove, as (All Mail UID, label) pairs.</summary>
public sealed record GmailLabelChanges(IReadOnlyList<(uint Uid, string Label)> Add, IReadOnlyList<(uint Uid, string Label)> Remove)
{
    public bool IsEmpty => Add.Count == 0 && Remove.Count == 0;
}
