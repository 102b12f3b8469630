using Mailroom.Core.Html;

namespace Mailroom.Core.Tests.Html;

public sealed class TrackerListTests
{
    [Theory]
    [InlineData("https://www.google-analytics.com/collect?v=1", "tracking host")]
    [InlineData("https://acme.us1.list-manage.com/track/open.php?u=1", "")]
    [InlineData("https://mandrillapp.com/track/open.php?u=1", "tracking path")]
    [InlineData("https://u123.ct.sendgrid.net/wf/open?upn=abc", "e-mail tracker")]
    public void Known_trackers_match(string url, string reason)
    {
        var match = TrackerList.Default.Match(new Uri(url));
        Assert.NotNull(match);
        Assert.Contains(reason, match, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://www.example.com/logo.png")]
    [InlineData("https://images.acme.example/newsletter/hero.jpg")]
    [InlineData("mailto:someone@example.com")]
    public void Ordinary_urls_do_not_match(string url) => Assert.Null(TrackerList.Default.Match(new Uri(url)));

    [Fact]
    public void The_vendored_list_is_read_whole_and_exceptions_are_honoured()
    {
        Assert.True(TrackerList.Default.HostCount > 40000, TrackerList.Default.HostCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var list = TrackerList.Parse(new StringReader("||a.example^\n||b.example^\n@@||b.example^\n||c.example^$domain=site.example\n! *** easylist:easyprivacy/easyprivacy_general_emailtrackers.txt ***\n/open.aspx?$image\n"));
        Assert.NotNull(list.Match(new Uri("https://x.a.example/p")));
        Assert.Null(list.Match(new Uri("https://b.example/p")));
        Assert.Null(list.Match(new Uri("https://c.example/p")));
        Assert.NotNull(list.Match(new Uri("https://mail.example/open.aspx?id=1")));
    }
}
