using System.Text;
using Mailroom.Core.Contacts;
using Mailroom.Core.Import;
using Mailroom.Core.Messages;
using MessageFlags = Mailroom.Core.Connectors.MessageFlags;

namespace Mailroom.Core.Tests.Contacts;

public sealed class ContactAddressesTests
{
    [Theory]
    [InlineData("Ann@Example.ORG", "ann@example.org")]
    [InlineData("  ann@example.org ", "ann@example.org")]
    [InlineData("JUERGEN@xn--bcher-kva.de", "juergen@bücher.de")]
    [InlineData("juergen@BÜCHER.de", "juergen@bücher.de")]
    [InlineData("user@XN--80AKHBYKNJ4F.XN--P1AI", "user@испытание.рф")]
    [InlineData("a.b+tag@gmail.com", "a.b+tag@gmail.com")]
    [InlineData("not-an-address", null)]
    [InlineData("@example.org", null)]
    [InlineData("ann@", null)]
    [InlineData("Ann <ann@example.org>", null)]
    [InlineData("ann@example..org", null)]
    [InlineData("ann@xn--zz-.de", null)]
    [InlineData("", null)]
    public void Normalize(string input, string? expected) => Assert.Equal(expected, ContactAddresses.Normalize(input));

    [Theory]
    [InlineData("j.doe+jobs@gmail.com", "jdoe@gmail.com")]
    [InlineData("J.Doe@googlemail.com", "jdoe@gmail.com")]
    [InlineData("ann+news@example.org", "ann@example.org")]
    [InlineData("a.nn@example.org", "a.nn@example.org")]
    [InlineData("+only@example.org", "+only@example.org")]
    public void Alias_key(string input, string expected) =>
        Assert.Equal(expected, ContactAddresses.AliasKey(ContactAddresses.Normalize(input)!));

    [Theory]
    [InlineData("Juergen@XN--BCHER-KVA.DE")]
    [InlineData("=?utf-8?q?J=C3=BCrgen?= <Juergen@xn--bcher-kva.de>")]
    [InlineData("juergen@Bücher.de")]
    public void A_contact_address_matches_what_the_normalizer_stores_for_a_message(string header)
    {
        var raw = Encoding.UTF8.GetBytes($"From: {header}\r\nTo: x@example.org\r\nSubject: s\r\n\r\nbody\r\n");
        var stored = Assert.Single(MessageNormalizer.Normalize(raw).From).Normalized;
        Assert.Equal(stored, ContactAddresses.Normalize("JUERGEN@xn--bcher-kva.de"));
        Assert.Equal(stored, ContactAddresses.Normalize("juergen@bücher.DE"));
    }

    [Theory]
    [InlineData("1690000000.M1P2.host:2,FRS", MessageFlags.Flagged | MessageFlags.Answered | MessageFlags.Seen)]
    [InlineData("1690000000.M1P2.host:2,", MessageFlags.None)]
    [InlineData("1690000000.M1P2.host", MessageFlags.None)]
    [InlineData("x:2,DT", MessageFlags.Draft | MessageFlags.Deleted)]
    public void Maildir_flags(string name, MessageFlags expected) => Assert.Equal(expected, ArchiveReader.MaildirFlags(name));

    [Fact]
    public void Timeline_cursor_round_trips_and_rejects_garbage()
    {
        var cursor = new TimelineCursor(-5_000_000, 42);
        Assert.True(TimelineCursor.TryParse(cursor.ToString(), out var parsed));
        Assert.Equal(cursor, parsed);
        Assert.False(TimelineCursor.TryParse("abc", out _));
        Assert.False(TimelineCursor.TryParse("1.-2", out _));
        Assert.False(TimelineCursor.TryParse(null, out _));
    }
}
