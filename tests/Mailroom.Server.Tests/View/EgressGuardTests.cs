using System.Net;
using Mailroom.Server.View;

namespace Mailroom.Server.Tests.View;

public sealed class EgressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")] [InlineData("127.255.0.9")] [InlineData("10.0.0.1")] [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")] [InlineData("169.254.169.254")] [InlineData("169.254.0.1")] [InlineData("100.64.0.1")]
    [InlineData("100.100.100.200")] [InlineData("192.0.0.192")] [InlineData("0.0.0.0")] [InlineData("224.0.0.251")]
    [InlineData("239.255.255.250")] [InlineData("240.0.0.1")] [InlineData("255.255.255.255")] [InlineData("198.18.0.1")]
    [InlineData("168.63.129.16")] [InlineData("::1")] [InlineData("::")] [InlineData("fe80::1")] [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")] [InlineData("ff02::1")] [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")] [InlineData("::127.0.0.1")] [InlineData("64:ff9b::7f00:1")] [InlineData("2002:7f00:1::")]
    [InlineData("2002:a9fe:a9fe::")] [InlineData("2001:db8::1")] [InlineData("fec0::1")] [InlineData("2001::1")]
    public void Refused(string address) => Assert.NotNull(EgressGuard.RefusalReason(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")] [InlineData("8.8.8.8")] [InlineData("1.1.1.1")] [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")] [InlineData("2606:4700::1111")] [InlineData("::ffff:8.8.8.8")] [InlineData("2002:0808:0808::")]
    [InlineData("64:ff9b::808:808")]
    public void Allowed(string address) => Assert.Null(EgressGuard.RefusalReason(IPAddress.Parse(address)));

    [Fact]
    public void Odd_ipv4_notations_parse_to_the_address_that_is_checked()
    {
        foreach (var notation in new[] { "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1" })
            Assert.Equal("loopback", EgressGuard.RefusalReason(IPAddress.Parse(notation)));
    }
}
