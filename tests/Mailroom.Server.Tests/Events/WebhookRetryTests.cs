using Mailroom.Core.Events;

namespace Mailroom.Server.Tests.Events;

/// <summary><see cref="WebhookRetry"/>: capped exponential backoff with full jitter, for 24 hours.</summary>
public sealed class WebhookRetryTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly WebhookRetry _retry = new(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromHours(24));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(9, 2560)]
    [InlineData(10, 3600)]
    [InlineData(40, 3600)]
    public void The_ceiling_doubles_per_attempt_up_to_the_cap(int attempt, int seconds)
    {
        var now = Created.AddMinutes(1);
        Assert.Equal(now.AddSeconds(seconds), _retry.Next(attempt, Created, now, 0.999999)!.Value, TimeSpan.FromMilliseconds(5));
        Assert.Equal(now, _retry.Next(attempt, Created, now, 0));
        Assert.Equal(now.AddSeconds(seconds / 2.0), _retry.Next(attempt, Created, now, 0.5));
    }

    [Fact]
    public void The_last_attempt_is_at_the_deadline_and_then_it_gives_up()
    {
        var late = Created.AddHours(23.9);
        Assert.Equal(Created.AddHours(24), _retry.Next(20, Created, late, 0.99));
        Assert.Null(_retry.Next(21, Created, Created.AddHours(24), 0.5));
        Assert.Null(_retry.Next(21, Created, Created.AddDays(3), 0.5));
    }

    [Fact]
    public void A_redelivery_starts_a_new_window()
    {
        var redelivered = Created.AddDays(2);
        Assert.NotNull(_retry.Next(1, redelivered, redelivered.AddSeconds(1), 0.5));
    }
}
