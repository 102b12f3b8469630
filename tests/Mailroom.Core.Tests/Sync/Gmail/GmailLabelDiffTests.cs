using Mailroom.Core.Connectors;
using Mailroom.Core.Sync.Gmail;

namespace Mailroom.Core.Tests.Sync.Gmail;

public sealed class GmailLabelDiffTests
{
    private static GmailMessageState Message(uint uid, params string[]? labels) =>
        new(uid, MessageFlags.Seen, [], null, 1000 + uid, 1000 + uid, labels);

    private static Dictionary<uint, IReadOnlySet<string>> Stored(params (uint Uid, string[] Labels)[] rows) =>
        rows.ToDictionary(r => r.Uid, r => (IReadOnlySet<string>)r.Labels.ToHashSet(StringComparer.Ordinal));

    private static string[] Show(IReadOnlyList<(uint Uid, string Label)> changes) => [.. changes.Select(c => $"{c.Uid}:{c.Label}")];

    [Fact]
    public void A_new_message_with_two_labels_gets_two_label_memberships()
    {
        var changes = GmailLabelDiff.Compute(Stored(), [Message(7, "\\Inbox", "Work")], new HashSet<uint> { 7 });

        Assert.Equal(["7:Work", "7:\\Inbox"], Show(changes.Add));
        Assert.Empty(changes.Remove);
    }

    [Fact]
    public void A_label_added_and_one_removed_on_the_server_are_one_add_and_one_remove()
    {
        var changes = GmailLabelDiff.Compute(
            Stored((7, ["\\Inbox", "Work"])), [Message(7, "Work", "Hiring")], new HashSet<uint> { 7 });

        Assert.Equal(["7:Hiring"], Show(changes.Add));
        Assert.Equal(["7:\\Inbox"], Show(changes.Remove));
    }

    [Fact]
    public void Unchanged_labels_change_nothing()
    {
        var changes = GmailLabelDiff.Compute(
            Stored((7, ["\\Inbox", "Work"])), [Message(7, "Work", "\\Inbox", "Work")], new HashSet<uint> { 7 });

        Assert.True(changes.IsEmpty);
    }

    [Fact]
    public void A_message_reported_without_labels_keeps_its_stored_labels()
    {
        // X-GM-LABELS missing from the answer is not "no labels".
        var changes = GmailLabelDiff.Compute(Stored((7, ["Work"])), [Message(7, null)], new HashSet<uint> { 7 });

        Assert.True(changes.IsEmpty);
    }

    [Fact]
    public void A_message_reported_with_an_empty_label_list_loses_every_label()
    {
        var changes = GmailLabelDiff.Compute(Stored((7, ["Work", "\\Inbox"])), [Message(7)], new HashSet<uint> { 7 });

        Assert.Empty(changes.Add);
        Assert.Equal(["7:Work", "7:\\Inbox"], Show(changes.Remove));
    }

    [Fact]
    public void Messages_not_reported_by_changedsince_keep_their_labels()
    {
        var changes = GmailLabelDiff.Compute(
            Stored((7, ["Work"]), (8, ["\\Inbox"])), [Message(8, "\\Inbox", "\\Starred")], new HashSet<uint> { 7, 8 });

        Assert.Equal(["8:\\Starred"], Show(changes.Add));
        Assert.Empty(changes.Remove);
    }

    [Fact]
    public void A_message_gone_from_all_mail_loses_its_labels()
    {
        var changes = GmailLabelDiff.Compute(Stored((7, ["Work", "\\Inbox"]), (8, ["Work"])), [], new HashSet<uint> { 8 });

        Assert.Equal(["7:Work", "7:\\Inbox"], Show(changes.Remove));
        Assert.Empty(changes.Add);
    }

    [Fact]
    public void Labels_of_a_message_the_store_does_not_hold_are_not_added()
    {
        // Outside the sync window, or its body could not be fetched: there is no All Mail membership to copy.
        var changes = GmailLabelDiff.Compute(Stored(), [Message(7, "Work"), Message(9, "Work")], new HashSet<uint> { 9 });

        Assert.Equal(["9:Work"], Show(changes.Add));
    }

    [Fact]
    public void Empty_label_names_are_ignored()
    {
        var changes = GmailLabelDiff.Compute(Stored(), [Message(7, "", "Work")], new HashSet<uint> { 7 });

        Assert.Equal(["7:Work"], Show(changes.Add));
    }
}
