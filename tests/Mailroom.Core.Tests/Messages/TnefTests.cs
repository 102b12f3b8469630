using System.Text;
using Mailroom.Core.Messages;
using MimeKit;

namespace Mailroom.Core.Tests.Messages;

/// <summary>winmail.dat unpacked: its files are attachments, its body the body when there is no other, itself kept.</summary>
public sealed class TnefTests
{
    private static byte[] Ukr => File.ReadAllBytes(Path.Combine(TestMessages.ProjectDirectory, "Messages", "Tnef", "ukr.eml"));

    // The message with only its winmail.dat part, as Outlook sends rich text with nothing beside it.
    private static byte[] OnlyTnef(byte[] raw)
    {
        using var message = MimeMessage.Load(new MemoryStream(raw));
        var tnef = message.BodyParts.OfType<MimeKit.Tnef.TnefPart>().Single();
        using var alone = new MimeMessage();
        alone.Subject = message.Subject ?? "";
        alone.From.AddRange(message.From);
        alone.Body = new Multipart("mixed") { tnef };
        using var output = new MemoryStream();
        alone.WriteTo(FormatOptions.Default, output);
        return output.ToArray();
    }

    [Fact]
    public void Html_inside_winmail_dat_is_the_html_body_and_winmail_dat_stays_an_attachment()
    {
        var message = MessageNormalizer.Normalize(Ukr);

        Assert.Equal("шостий", message.TextBody!.Trim().Split('\n')[0].Trim());
        Assert.NotNull(message.HtmlBody);
        Assert.Contains("RR Test 1", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("шостий", message.HtmlBody, StringComparison.Ordinal);
        var winmail = Assert.Single(message.Attachments);
        Assert.Equal(("winmail.dat", "application/ms-tnef", "2"), (winmail.FileName, winmail.ContentType, winmail.PartPath));
        Assert.DoesNotContain(message.Problems, p => p.Contains("TNEF", StringComparison.Ordinal));
    }

    [Fact]
    public void Message_with_only_winmail_dat_gets_its_body_from_it()
    {
        var message = MessageNormalizer.Normalize(OnlyTnef(Ukr));

        Assert.Contains("RR Test 1", message.HtmlBody, StringComparison.Ordinal);
        Assert.Null(message.TextBody);
        Assert.StartsWith("шостий", message.Snippet, StringComparison.Ordinal);
        Assert.Equal("winmail.dat", Assert.Single(message.Attachments).FileName);
    }

    [Fact]
    public void Damaged_winmail_dat_is_kept_as_it_is_with_a_problem()
    {
        var message = TestMessages.Normalize("""
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain

            body
            --m
            Content-Type: application/ms-tnef; name=winmail.dat
            Content-Disposition: attachment; filename=winmail.dat
            Content-Transfer-Encoding: base64

            eJ8+IhFRAQaQCAAEAAAAAAAB
            --m--
            """);

        Assert.Equal("body", message.TextBody);
        Assert.Equal("winmail.dat", Assert.Single(message.Attachments).FileName);
        Assert.Contains(message.Problems, p => p.StartsWith("part 2", StringComparison.Ordinal) && p.Contains("winmail.dat (TNEF) could not be unpacked", StringComparison.Ordinal));
    }

    [Fact]
    public void Files_in_winmail_dat_are_attachments_with_names_sizes_and_content()
    {
        if (CorpusTests.FindCorpus() is not { } corpus || !File.Exists(Path.Combine(corpus, "mimekit", "tnef", "rich-text.eml")))
        {
            Assert.Skip("Corpus not found (mimekit/tnef/rich-text.eml): set MAILROOM_CORPUS or put shared/corpus beside the repository.");
            return;
        }

        var raw = File.ReadAllBytes(Path.Combine(corpus, "mimekit", "tnef", "rich-text.eml"));

        var message = MessageNormalizer.Normalize(raw);

        Assert.Equal("winmail.dat", message.Attachments[0].FileName);
        Assert.Equal("2", message.Attachments[0].PartPath);
        var kitten = message.Attachments.Single(a => a.FileName == "kitten-playing-with-a-christmas-tree.jpg");
        Assert.Equal(("image/jpeg", 375081L, "2/tnef/2", false), (kitten.ContentType, kitten.Size, kitten.PartPath, kitten.IsInline));
        using var parts = MessageParts.Open(raw);
        var content = parts.Find(kitten.PartPath)!;
        Assert.Equal(375081, content.Content.Length);
        Assert.Equal([0xFF, 0xD8, 0xFF], content.Content[..3]);
        Assert.Equal("kitten-playing-with-a-christmas-tree.jpg", content.FileName);
        Assert.Equal(message.Attachments[0].Size, parts.Find("2")!.Content.Length);

        // The tree shows the files under winmail.dat, numbered as the attachment list numbers them.
        var winmailNode = MimeTreePrinter.Describe(raw)!.Children.Single(c => c.Path == "2");
        Assert.Equal(message.Attachments.Skip(1).Select(a => (a.PartPath, a.FileName, (long?)a.Size)),
            winmailNode.Children.Select(c => (c.Path, c.FileName, c.Size)));

        // Without a body of its own, the RTF in winmail.dat is the body.
        var alone = MessageNormalizer.Normalize(OnlyTnef(raw));
        Assert.Contains("Christmas to remember", alone.TextBody ?? alone.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(message.Attachments.Count, alone.Attachments.Count);
    }
}
