using Mailroom.Core.Threading;

namespace Mailroom.Core.Tests.Threading;

public sealed class SubjectNormalizerTests
{
    [Theory]
    [InlineData("Re: Interview on Monday", "interview on monday", 1)]
    [InlineData("RE: Interview on Monday", "interview on monday", 1)]
    [InlineData("re:Interview on Monday", "interview on monday", 1)]
    [InlineData("Fwd: Interview on Monday", "interview on monday", 1)]
    [InlineData("Fw: Interview on Monday", "interview on monday", 1)]
    [InlineData("FW: Interview on Monday", "interview on monday", 1)]
    [InlineData("AW: Interview on Monday", "interview on monday", 1)]
    [InlineData("WG: Interview on Monday", "interview on monday", 1)]
    [InlineData("SV: Interview on Monday", "interview on monday", 1)]
    [InlineData("VS: Interview on Monday", "interview on monday", 1)]
    [InlineData("Antw: Interview on Monday", "interview on monday", 1)]
    [InlineData("Отв: Собеседование в понедельник", "собеседование в понедельник", 1)]
    [InlineData("Пересл: Собеседование в понедельник", "собеседование в понедельник", 1)]
    [InlineData("回复: 周一面试安排", "周一面试安排", 1)]
    [InlineData("回复：周一面试安排", "周一面试安排", 1)]
    [InlineData("转发: 周一面试安排", "周一面试安排", 1)]
    [InlineData("TR: Entretien lundi", "entretien lundi", 1)]
    [InlineData("RE : Entretien lundi", "entretien lundi", 1)]
    [InlineData("Re[2]: Interview on Monday", "interview on monday", 2)]
    [InlineData("Re(3): Interview on Monday", "interview on monday", 3)]
    [InlineData("Re^2: Interview on Monday", "interview on monday", 2)]
    [InlineData("Re: Re: AW: Fwd: Interview on Monday", "interview on monday", 4)]
    [InlineData("Re:RE:rE[3]: Subject", "subject", 5)]
    [InlineData("[hiring] Re: Interview on Monday", "interview on monday", 1)]
    [InlineData("Re: [hiring] Re: Interview on Monday", "interview on monday", 2)]
    [InlineData("[Fwd: Interview on Monday]", "interview on monday", 1)]
    [InlineData("Interview on Monday (fwd)", "interview on monday", 1)]
    [InlineData("  Interview \t on   Monday  ", "interview on monday", 0)]
    [InlineData("Interview on Monday", "interview on monday", 0)]
    [InlineData("Regarding: the offer", "regarding: the offer", 0)]
    [InlineData("Re: Re:", "", 2)]
    [InlineData("[PATCH 2/3] Add threading", "add threading", 0)]
    [InlineData("Revision of the contract", "revision of the contract", 0)]
    public void Prefixes_and_tags_are_removed(string subject, string key, int depth)
    {
        Assert.Equal(key, SubjectNormalizer.Key(subject));
        SubjectNormalizer.Normalize(subject, out var actualDepth);
        Assert.Equal(depth, actualDepth);
        Assert.Equal(depth > 0, SubjectNormalizer.IsReply(subject));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hi")]
    [InlineData("Hello")]
    [InlineData("Re: hello")]
    [InlineData("Question")]
    [InlineData("(no subject)")]
    [InlineData("Re:")]
    [InlineData("test")]
    [InlineData("Fwd: Test")]
    [InlineData("Update")]
    [InlineData("Meeting")]
    [InlineData("AW: Meeting")]
    [InlineData("Invoice")]
    [InlineData("Rechnung")]
    [InlineData("Besprechung")]
    [InlineData("(kein Betreff)")]
    [InlineData("Facture")]
    [InlineData("Réunion")]
    [InlineData("sans objet")]
    [InlineData("Вопрос")]
    [InlineData("Отв: Привет")]
    [InlineData("без темы")]
    [InlineData("回复: 你好")]
    [InlineData("会议")]
    [InlineData("Factura")]
    [InlineData("Thanks!")]
    [InlineData("?")]
    [InlineData("12345")]
    [InlineData("ok")]
    public void Generic_subjects_have_no_key(string? subject)
    {
        Assert.Null(SubjectNormalizer.KeyOrNull(subject));
    }

    [Theory]
    [InlineData("Interview on Monday")]
    [InlineData("Invoice 2026-117 for March")]
    [InlineData("Meeting notes: hiring plan")]
    [InlineData("Собеседование")]
    [InlineData("面试安排")]
    public void Specific_subjects_keep_their_key(string subject) =>
        Assert.NotNull(SubjectNormalizer.KeyOrNull(subject));
}
