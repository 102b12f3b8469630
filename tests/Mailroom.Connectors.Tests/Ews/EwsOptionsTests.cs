using Mailroom.Connectors.Ews;

namespace Mailroom.Connectors.Tests.Ews;

public sealed class EwsOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => new EwsOptions().Validate();

    [Theory]
    [InlineData(0, 50)]
    [InlineData(513, 50)]
    [InlineData(512, 0)]
    [InlineData(512, 501)]
    public void Paging_and_batch_sizes_outside_what_Exchange_allows_are_refused(int maxChanges, int batch)
    {
        var options = new EwsOptions { MaxChangesReturned = maxChanges, GetItemBatchSize = batch };
        Assert.Throws<InvalidOperationException>(() => options.Validate());
    }

    [Fact]
    public void A_cap_below_the_first_delay_and_an_empty_server_version_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new EwsOptions { RetryInitial = TimeSpan.FromSeconds(10), RetryCap = TimeSpan.FromSeconds(1) }.Validate());
        Assert.Throws<InvalidOperationException>(() => new EwsOptions { ServerVersion = " " }.Validate());
        Assert.Throws<InvalidOperationException>(() => new EwsOptions { RequestTimeout = TimeSpan.Zero }.Validate());
    }
}
