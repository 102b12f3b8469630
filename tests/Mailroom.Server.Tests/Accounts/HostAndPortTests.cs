using Mailroom.Server.Accounts;

namespace Mailroom.Server.Tests.Accounts;

public sealed class HostAndPortTests
{
    [Theory]
    [InlineData("imap.example.com", "imap.example.com", null)]
    [InlineData("imap.example.com:143", "imap.example.com", 143)]
    [InlineData("127.0.0.1:11993", "127.0.0.1", 11993)]
    [InlineData("[::1]", "::1", null)]
    [InlineData("::1", "::1", null)]
    [InlineData("[::1]:993", "::1", 993)]
    [InlineData("  mail.example.org  ", "mail.example.org", null)]
    public void Valid_host_and_port_parse(string text, string host, int? port)
    {
        Assert.True(HostAndPort.TryParse(text, out var h, out var p, out var error), error);
        Assert.Equal(host, h);
        Assert.Equal(port, p);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":993")]
    [InlineData("imap.example.com:0")]
    [InlineData("imap.example.com:65536")]
    [InlineData("imap.example.com:abc")]
    [InlineData("user@imap.example.com")]
    [InlineData("imap example.com")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    public void Invalid_input_is_refused_with_a_reason(string text)
    {
        Assert.False(HostAndPort.TryParse(text, out _, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
