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
    [InlineData("[hiring] Re: Interview on Monday", "[hiring] interview on monday", 1)]
    [InlineData("Re: [hiring] Re: Interview on Monday", "[hiring] interview on monday", 2)]
    [InlineData("[Fwd: Interview on Monday]", "interview on monday", 1)]
    [InlineData("Interview on Monday (fwd)", "interview on monday", 1)]
    [InlineData("  Interview \t on   Monday  ", "interview on monday", 0)]
    [InlineData("Interview on Monday", "interview on monday", 0)]
    [InlineData("Regarding: the offer", "regarding: the offer", 0)]
    [InlineData("Re: Re:", "", 2)]
    [InlineData("[PATCH 2/3] Add threading", "[patch 2/3] add threading", 0)]
    [InlineData("Re: [PATCH 2/3] Add threading", "[patch 2/3] add threading", 1)]
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
    [InlineData("Rust")]
    [InlineData("[TECH TOPIC] Rust")]
    [InlineData("Re: [MAINTAINERS SUMMIT] Rust")]
    [InlineData("[hiring] Hello")]
    [InlineData("Status update")]
    [InlineData("Quick question")]
    [InlineData("Hi!!")]
    [InlineData("Q3 ?")]
    [InlineData("Fwd: 2026-11-30")]
    [InlineData("[PATCH] v2")]
    [InlineData("Kein Betreff")]
    [InlineData("Subject Unavailable")] // an encrypted message's placeholder (protected headers)
    [InlineData("...")]
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

    [Theory]
    [InlineData("[linux-foo] Add a driver", "linux-foo.vger.kernel.org", "add a driver")]
    [InlineData("Re: [linux-foo] Add a driver", "linux-foo.vger.kernel.org", "add a driver")]
    [InlineData("[Linux Foo] Add a driver", "linux-foo.vger.kernel.org", "add a driver")]
    [InlineData("[LINUX_FOO] Add a driver", "linux-foo.vger.kernel.org", "add a driver")]
    [InlineData("[linux-foo 123] Add a driver", "linux-foo.vger.kernel.org", "add a driver")]
    [InlineData("[ruby-talk:4567] Add a driver", "ruby-talk.ruby-lang.org", "add a driver")]
    [InlineData("[python-3000] Add a driver", "python-3000.python.org", "add a driver")]
    [InlineData("[foo] Add a driver", "foo.googlegroups.com", "add a driver")]
    [InlineData("AW: [foo-devel] [PATCH v2] Add a driver", "foo-devel.lists.sourceforge.net", "[patch v2] add a driver")]
    [InlineData("[PATCH v2] [foo-devel] Add a driver", "foo-devel.lists.sourceforge.net", "[patch v2] add a driver")]
    // Not the list's tag: a topic, kept.
    [InlineData("[TECH TOPIC] Add a driver", "ksummit.lists.linux.dev", "[tech topic] add a driver")]
    [InlineData("[foo] Add a driver", "foo-devel.lists.sourceforge.net", "[foo] add a driver")]
    [InlineData("[lists] Add a driver", "foo.lists.example.org", "[lists] add a driver")]
    // Without a List-Id no tag is a list's.
    [InlineData("[linux-foo] Add a driver", null, "[linux-foo] add a driver")]
    public void Only_the_lists_own_tag_is_removed(string subject, string? listId, string key) =>
        Assert.Equal(key, SubjectNormalizer.Key(subject, listId));

    [Fact]
    public void Topic_tags_keep_threads_apart()
    {
        Assert.NotEqual(
            SubjectNormalizer.KeyOrNull("[TECH TOPIC] Rust in the kernel"),
            SubjectNormalizer.KeyOrNull("[MAINTAINERS SUMMIT] Rust in the kernel"));
        Assert.Equal(
            SubjectNormalizer.KeyOrNull("[TECH TOPIC] Rust in the kernel", "ksummit.lists.linux.dev"),
            SubjectNormalizer.KeyOrNull("Re: [ksummit] [TECH TOPIC] Rust in the kernel", "ksummit.lists.linux.dev"));
    }

    [Theory]
    [InlineData("Linux Foo <linux-foo.vger.kernel.org>", "linux-foo.vger.kernel.org")]
    [InlineData("<Foo-Devel.Lists.SourceForge.net>", "foo-devel.lists.sourceforge.net")]
    [InlineData("\"Some list\" <dev.lists.example.org.>", "dev.lists.example.org")]
    [InlineData("bare.example.org", "bare.example.org")]
    [InlineData("", null)]
    [InlineData("No id here", null)]
    [InlineData("<a@b.example>", null)]
    public void List_id_is_read_from_its_angle_brackets(string value, string? id) =>
        Assert.Equal(id, ListIds.Parse(value));
}
