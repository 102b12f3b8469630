using System.Text;
using Mailroom.Core.Messages;
using Mailroom.Core.Threading;

namespace Mailroom.Core.Tests.Threading;

public sealed class AutomaticMailTests
{
    [Theory]
    [InlineData("Undelivered Mail Returned to Sender")]
    [InlineData("Delivery Status Notification (Failure)")]
    [InlineData("Delivery Status Notification (Delay)")]
    [InlineData("Mail delivery failed: returning message to sender")]
    [InlineData("Returned mail: see transcript for details")]
    [InlineData("failure notice")]
    [InlineData("Undeliverable: Interview on Monday")]
    [InlineData("Unzustellbar: Vorstellungsgespräch")]
    [InlineData("Non remis : Entretien lundi")]
    [InlineData("Benachrichtigung zum Zustellstatus (Fehler)")]
    [InlineData("Недоставленное сообщение")]
    [InlineData("Out of Office: Interview on Monday")]
    [InlineData("Automatic reply: Interview on Monday")]
    [InlineData("Auto-Reply: Interview on Monday")]
    [InlineData("Abwesenheitsnotiz: Vorstellungsgespräch")]
    [InlineData("Automatische Antwort: Vorstellungsgespräch")]
    [InlineData("Réponse automatique : Entretien lundi")]
    [InlineData("Respuesta automática: Entrevista")]
    [InlineData("Risposta automatica: Colloquio")]
    [InlineData("Automatisch antwoord: Sollicitatie")]
    [InlineData("Автоматический ответ: Собеседование")]
    [InlineData("自动回复: 面试安排")]
    [InlineData("AW: Automatische Antwort: Vorstellungsgespräch")]
    [InlineData("[Auto-Reply] Interview on Monday")]
    public void Bounce_and_auto_reply_subjects_are_automatic(string subject) =>
        Assert.True(AutomaticMail.IsAutomaticSubject(subject));

    [Theory]
    [InlineData("Interview on Monday")]
    [InlineData("Re: Your delivery address")]
    [InlineData("Office move on Friday")]
    [InlineData("Re: Automatic deployment of the careers page")]
    [InlineData(null)]
    public void Human_subjects_are_not_automatic(string? subject) =>
        Assert.False(AutomaticMail.IsAutomaticSubject(subject));

    [Theory]
    [InlineData("Auto-Submitted: auto-replied\r\n", "Auto-Submitted: auto-replied")]
    [InlineData("Auto-Submitted: auto-generated; owner-email=\"a@b\"\r\n", "Auto-Submitted: auto-generated")]
    [InlineData("Auto-Submitted: No\r\n", null)]
    [InlineData("Precedence: auto_reply\r\n", "Precedence: auto_reply")]
    [InlineData("Precedence: list\r\n", null)]
    [InlineData("X-Autoreply: yes\r\n", "X-Autoreply")]
    [InlineData("X-Failed-Recipients: bob@example.org\r\n", "X-Failed-Recipients")]
    [InlineData("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n", "multipart/report")]
    [InlineData("", null)]
    public void Headers_that_mark_automatic_mail_are_read(string header, string? expected)
    {
        var normalized = Normalize("From: Ann <ann@example.org>\r\nTo: me@example.com\r\nSubject: Interview on Monday\r\n" + header);
        Assert.Equal(expected, normalized.Automatic);
        Assert.Equal(expected is not null, ThreadableMessage.IsAutomatic(normalized));
        Assert.Equal(expected is null, SubjectRule.KeyOf(ThreadableMessage.From(1, normalized)) is not null);
    }

    [Theory]
    [InlineData("MAILER-DAEMON@mx.example.org")]
    [InlineData("mailer-daemon@googlemail.com")]
    [InlineData("postmaster@example.org")]
    [InlineData("Postmaster@Example.org")]
    public void System_senders_are_automatic(string from)
    {
        var normalized = Normalize($"From: Mail System <{from}>\r\nTo: me@example.com\r\nSubject: Interview on Monday\r\n");
        Assert.True(ThreadableMessage.IsAutomatic(normalized));
        Assert.Null(SubjectRule.KeyOf(ThreadableMessage.From(1, normalized)));
    }

    [Fact]
    public void A_person_named_like_a_daemon_is_not_automatic() =>
        Assert.False(AutomaticMail.IsSystemSender("postmaster.general@example.org"));

    [Fact]
    public void List_id_is_read_into_the_normalized_message()
    {
        var normalized = Normalize("From: a@example.org\r\nSubject: [linux-foo] Add a driver\r\nList-Id: Linux Foo <linux-foo.vger.kernel.org>\r\n");
        Assert.Equal("linux-foo.vger.kernel.org", normalized.ListId);
        Assert.Equal("add a driver", SubjectRule.KeyOf(ThreadableMessage.From(1, normalized)));
    }

    private static NormalizedMessage Normalize(string header)
    {
        var body = header.Contains("multipart/report", StringComparison.Ordinal)
            ? "\r\n--b\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; bob@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n"
            : "\r\nHello.\r\n";
        return MessageNormalizer.Normalize(Encoding.UTF8.GetBytes(header + "Message-ID: <x@example.org>\r\nDate: Mon, 7 Dec 2026 10:00:00 +0000\r\n" + body));
    }
}
