using Mailroom.Core.Sync;

namespace Mailroom.Core.Tests.Sync;

public sealed class FetchBatchSizerTests
{
    private const long MiB = 1024 * 1024;

    public static TheoryData<string, string, int, int> Table() => new()
    {
        // name, what happened (r<bytes> received, ok = batch completed, cut<bytes> = connection cut), remaining, expected count
        { "no size seen yet: the count alone", "", 1000, 250 },
        { "fewer left than a batch", "", 40, 40 },
        { "nothing left", "", 0, 0 },
        { "small messages: the count limits", "r1000 ok", 1000, 250 },
        { "1 MiB messages: the 32 MiB budget limits", "r1048576 ok", 1000, 32 },
        { "a cut halves what the connection carried", "r1048576 cut10485760", 1000, 5 },
        { "a cut above the budget halves the budget", "r1048576 ok cut104857600", 1000, 16 },
        { "a cut before any whole message leaves the floor (256 KiB)", "r65536 cut0", 1000, 4 },
        { "a message larger than the budget is fetched alone", "r10485760 cut0", 1000, 1 },
        { "each completed batch doubles the budget", "r1048576 cut10485760 ok ok", 1000, 20 },
        { "growth stops at the maximum", "r1048576 cut0 ok ok ok ok ok ok ok ok", 1000, 32 },
        { "the average follows every message", "r1048576 r3145728 ok", 1000, 16 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void NextCount_follows_the_byte_budget(string name, string history, int remaining, int expected)
    {
        var sizer = new FetchBatchSizer(250, 32 * MiB);
        foreach (var step in history.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (step == "ok")
                sizer.Completed();
            else if (step.StartsWith("cut", StringComparison.Ordinal))
                sizer.Cut(long.Parse(step[3..], System.Globalization.CultureInfo.InvariantCulture));
            else
                sizer.Received(long.Parse(step[1..], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.True(expected == sizer.NextCount(remaining), $"{name}: expected {expected}, budget {sizer.ByteBudget}");
    }

    [Fact]
    public void Settings_below_one_message_or_the_byte_floor_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FetchBatchSizer(0, 32 * MiB));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FetchBatchSizer(250, SyncOptions.MinBatchBytes - 1));
    }
}
