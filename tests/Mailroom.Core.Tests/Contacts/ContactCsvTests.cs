using Mailroom.Core.Contacts;

namespace Mailroom.Core.Tests.Contacts;

public sealed class ContactCsvTests
{
    private static IReadOnlyList<ContactCsv.Row> Read(string text) => ContactCsv.Read(new StringReader(text));

    [Fact]
    public void Reads_email_columns_semicolons_quotes_and_skips_blank_lines()
    {
        var rows = Read(
            "external_id,name,email,email\r\n" +
            "a1,Ann,ann@example.org\r\n" +
            "\r\n" +
            "b2,\"Doe, Ben \"\"B\"\"\",ben@example.org;ben@work.example,ben2@example.org\n" +
            "c3,\"Multi\nline\",c@example.org");

        Assert.All(rows, r => Assert.Null(r.Error));
        Assert.Equal([2, 4, 5], rows.Select(r => r.Line));
        Assert.Equal(["ann@example.org"], rows[0].Contact!.Addresses);
        Assert.Equal("Doe, Ben \"B\"", rows[1].Contact!.Name);
        Assert.Equal(["ben@example.org", "ben@work.example", "ben2@example.org"], rows[1].Contact!.Addresses);
        Assert.Equal("Multi\nline", rows[2].Contact!.Name);
    }

    [Fact]
    public void Bad_rows_are_reported_with_their_line_and_do_not_stop_the_others()
    {
        var rows = Read(
            "external_id,name,email\n" +
            "a1,Ann,not-an-address\n" +
            "a2,Ann,ann@example.org\n" +
            ",NoId,x@example.org\n" +
            "a2,Again,again@example.org\n" +
            "a3,Too,many@example.org,fields@example.org\n" +
            "a4,NoMail,\n");

        Assert.Equal("a2", Assert.Single(rows, r => r.Contact is not null).Contact!.ExternalId);
        var errors = rows.Where(r => r.Error is not null).ToDictionary(r => r.Line, r => r.Error!);
        Assert.Equal([2, 4, 5, 6, 7], errors.Keys);
        Assert.Contains("not-an-address", errors[2], StringComparison.Ordinal);
        Assert.Contains("external id is empty", errors[4], StringComparison.Ordinal);
        Assert.Contains("line 3", errors[5], StringComparison.Ordinal);
        Assert.Contains("found 4 fields", errors[6], StringComparison.Ordinal);
        Assert.Contains("at least one address", errors[7], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id,name,email\na,b,c@example.org\n", "the header must be")]
    [InlineData("", "the file is empty")]
    [InlineData("external_id,name,email\na,\"open,x@example.org\n", "not closed")]
    public void Bad_files_are_refused(string text, string message) =>
        Assert.Contains(message, Assert.Single(Read(text), r => r.Error is not null).Error!, StringComparison.Ordinal);
}
