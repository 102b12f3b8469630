namespace Mailroom.Core.Threading;

/// <summary>
/// The List-Id header (RFC 2919) and the subject tag a list puts in front of its messages. A list manager builds its
/// tag from the list's name, and the List-Id's first label is that name: Mailman's "[foo-devel]" for
/// <c>foo-devel.lists.example.org</c>, vger's "[linux-foo]" for <c>linux-foo.vger.kernel.org</c>, Google Groups'
/// "[foo]" for <c>foo.googlegroups.com</c>. Mailman may add a sequence number ("[foo-devel 123]", "[ruby-talk:4567]"),
/// and tags differ from the name in case and in how words are joined ("[Linux Foo]", "[linux_foo]").
/// </summary>
public static class ListIds
{
    /// <summary>The list identifier of a List-Id value ("Linux Foo &lt;linux-foo.vger.kernel.org&gt;"), lower-case, or null.</summary>
    public static string? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var text = value.Trim();
        var open = text.LastIndexOf('<');
        if (open >= 0)
        {
            var close = text.IndexOf('>', open + 1);
            text = close > open ? text[(open + 1)..close] : text[(open + 1)..];
        }

        text = text.Trim().TrimEnd('.').ToLowerInvariant();
        // An identifier is dot-atom text (RFC 2919 §2); anything else is not a list id.
        return text.Length is > 0 and <= 255 && !text.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '"' or '@')
            ? text
            : null;
    }

    /// <summary>Whether the text of a subject tag (between the brackets) is the list's own tag.</summary>
    /// <param name="tag">The tag's text, without its brackets.</param>
    /// <param name="listId">The message's list identifier from <see cref="Parse"/>, or null (then no tag is the list's).</param>
    public static bool IsListTag(string tag, string? listId)
    {
        if (listId is null)
            return false;
        var dot = listId.IndexOf('.', StringComparison.Ordinal);
        var label = Canonical(dot > 0 ? listId[..dot] : listId);
        var full = Canonical(listId);
        // With and without what looks like a sequence number: "[python-3000]" is the name of python-3000's list.
        foreach (var name in (ReadOnlySpan<string>)[Canonical(tag), Canonical(WithoutSequence(tag))])
        {
            if (name.Length > 0 && (name == label || name == full))
                return true;
        }

        return false;
    }

    /// <summary>"foo-devel 123", "ruby-talk:4567", "foo #12" → the name; a tag that is all digits stays as it is.</summary>
    private static string WithoutSequence(string tag)
    {
        var end = tag.Length;
        while (end > 0 && char.IsAsciiDigit(tag[end - 1]))
            end--;
        if (end == tag.Length || end == 0)
            return tag;
        var cut = end;
        while (cut > 0 && tag[cut - 1] is ' ' or ':' or '#' or '-' or '_')
            cut--;
        return cut == end || cut == 0 ? tag : tag[..cut];
    }

    // Letters and digits only, lower-case: "Linux Foo", "linux_foo" and "linux-foo" are one name.
    private static string Canonical(string value) =>
        string.Concat(value.Where(char.IsLetterOrDigit)).ToLowerInvariant();
}
