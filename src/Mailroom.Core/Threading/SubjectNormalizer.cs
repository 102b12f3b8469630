using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Mailroom.Core.Threading;

/// <summary>
/// The base subject of a message for threading: reply and forward markers in many languages removed ("Re:", "Fwd:",
/// "AW:", "Отв:", "回复:", "Re[2]:", "RE :", "[Fwd: ...]", "... (fwd)"), the mailing list's own tag removed when the
/// message's List-Id names the list ("[linux-foo]" for <c>linux-foo.vger.kernel.org</c>), whitespace collapsed,
/// lower-cased. Every other bracketed tag is a topic ("[TECH TOPIC]", "[PATCH v2]") and stays in the key, so two
/// threads that differ only by their topic tags never share one. A subject that is generic or short once markers and
/// tags are gone never joins messages (<see cref="IsGenericKey"/>).
/// </summary>
public static class SubjectNormalizer
{
    // Prefix words, compared case-insensitively; each may be followed by "[n]", "(n)" or "^n", then ':' or '：'.
    private static readonly FrozenSet<string> Prefixes = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "re", "fw", "fwd", "aw", "wg", "sv", "vs", "vl", "antw", "doorst", "tr", "rif", "i", "r", "res", "enc", "odp", "pd",
        "ynt", "ilt", "răspuns", "rv", "ref", "réf", "отв", "ответ", "пересл", "fwd", "вх", "исх", "回复", "回覆", "转发",
        "轉寄", "答复", "答覆", "返信", "転送", "fwd", "ΑΠ", "ΣΧΕΤ", "ΠΡΘ", "השב", "הועבר", "رد", "إعادة توجيه", "atb", "sv",
        "vá", "trs");

    private static readonly FrozenSet<string> Generic = FrozenSet.Create(
        StringComparer.Ordinal,
        "", "hi", "hello", "hey", "hallo", "hola", "bonjour", "ciao", "привет", "здравствуйте", "你好", "question", "questions",
        "quick question", "frage", "pregunta", "question rapide", "вопрос", "问题", "no subject", "(no subject)", "(none)",
        "none", "untitled", "kein betreff", "(kein betreff)", "sans objet", "(sans objet)", "sin asunto", "(sin asunto)",
        "без темы", "(без темы)", "无主题", "(无主题)", "subject unavailable", "encrypted message", "test", "testing", "test message", "тест", "测试", "update", "updates",
        "status update", "обновление", "meeting", "meeting request", "besprechung", "termin", "réunion", "reunión",
        "встреча", "会议", "invoice", "rechnung", "facture", "factura", "счет", "счёт", "发票", "thanks", "thank you",
        "danke", "merci", "gracias", "спасибо", "谢谢", "info", "information", "fyi", "request", "inquiry", "enquiry",
        "anfrage", "follow up", "follow-up", "followup", "reminder", "urgent", "important", "document", "documents",
        "attachment", "anhang", "scan", "scanned document", "photo", "photos", "hello world", "help", "hilfe", "ayuda",
        "помощь", "offer", "angebot", "offre", "oferta", "предложение", "contact", "kontakt", "contacto", "контакт", "cv",
        "resume", "résumé", "lebenslauf", "резюме", "application", "bewerbung", "candidature", "заявка");

    private static readonly char[] Punctuation = ['.', ',', '!', '?', '¡', '¿', ':', ';', '-', '(', ')', '[', ']', '"', '\'', '…', '！', '？', '。', ' '];

    /// <summary>The base subject (with its topic tags) as fewer letters than this never joins: "Rust", "Hi!", "2026".</summary>
    public const int MinimumLetters = 5;

    /// <summary>The threading key of a subject: its base subject, lower-case; empty for none.</summary>
    /// <param name="subject">The decoded Subject.</param>
    /// <param name="listId">The message's List-Id identifier (<see cref="ListIds.Parse"/>), or null: its tag is removed.</param>
    public static string Key(string? subject, string? listId = null) => Normalize(subject, listId, out _).ToLowerInvariant();

    /// <summary>The threading key of a subject, or null when it is generic or short (it must never join messages).</summary>
    public static string? KeyOrNull(string? subject, string? listId = null)
    {
        var key = Key(subject, listId);
        return IsGenericKey(key) ? null : key;
    }

    /// <summary>Whether the subject carries a reply or forward prefix (the message answers or passes on another).</summary>
    public static bool IsReply(string? subject)
    {
        Normalize(subject, null, out var depth);
        return depth > 0;
    }

    /// <summary>
    /// Whether a key from <see cref="Key"/> is too weak to join messages. Its topic tags are set aside (they tell
    /// threads apart, they do not make a subject specific); what remains is generic when it is a listed word or phrase
    /// ("hello", "question", "meeting", "(no subject)", "test", "update", ... in several languages) or has fewer than
    /// <see cref="MinimumLetters"/> letters, a CJK ideograph counting two.
    /// </summary>
    public static bool IsGenericKey(string key)
    {
        var rest = key.AsSpan().Trim();
        while (rest.Length > 0 && rest[0] == '[' && rest.IndexOf(']') is > 0 and var close)
            rest = rest[(close + 1)..].TrimStart();
        var text = rest.ToString();
        if (Generic.Contains(text) || Generic.Contains(text.Trim(Punctuation)))
            return true;
        var letters = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
                letters += rune.Value >= 0x2E80 ? 2 : 1; // one CJK character is a word
        }

        return letters < MinimumLetters;
    }

    /// <summary>The base subject, case kept, without a list tag; <paramref name="depth"/> counts the prefixes removed ("Re[3]:" counts 3).</summary>
    public static string Normalize(string? subject, out int depth) => Normalize(subject, null, out depth);

    /// <summary>
    /// The base subject, case kept: reply and forward markers and the list's own tag removed wherever they come
    /// before the text, topic tags kept in front of it in their order ("Re: [TECH TOPIC] Re: Rust" and "[TECH TOPIC]
    /// Rust" give the same); <paramref name="depth"/> counts the markers removed ("Re[3]:" counts 3).
    /// </summary>
    public static string Normalize(string? subject, string? listId, out int depth)
    {
        depth = 0;
        if (string.IsNullOrWhiteSpace(subject))
            return "";

        var text = Collapse(subject);
        List<string>? topics = null;
        while (true)
        {
            if (StripPrefix(ref text, ref depth) || UnwrapForward(ref text, ref depth))
                continue;
            if (TakeTag(ref text, out var tag))
            {
                if (!ListIds.IsListTag(tag, listId))
                    (topics ??= []).Add(tag);
                continue;
            }

            break;
        }

        if (text.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^5].TrimEnd();
            depth++;
        }

        return topics is null ? text : string.Join(' ', topics.Select(t => $"[{t}]").Append(text)).TrimEnd();
    }

    private static bool StripPrefix(ref string text, ref int depth)
    {
        var i = 0;
        while (i < text.Length && (char.IsLetter(text[i]) || char.IsWhiteSpace(text[i])) && i < 24)
            i++;

        var word = text[..i].TrimEnd();
        if (word.Length == 0 || !Prefixes.Contains(word))
            return false;

        var j = i;
        var count = 1;
        if (j < text.Length && text[j] is '[' or '(' or '^')
        {
            var close = text[j] switch { '[' => ']', '(' => ')', _ => '\0' };
            var start = ++j;
            while (j < text.Length && char.IsAsciiDigit(text[j]))
                j++;
            if (j == start || !int.TryParse(text.AsSpan(start, j - start), NumberStyles.None, CultureInfo.InvariantCulture, out count))
                return false;
            if (close != '\0')
            {
                if (j >= text.Length || text[j] != close)
                    return false;
                j++;
            }
        }

        while (j < text.Length && text[j] == ' ')
            j++;
        if (j >= text.Length || text[j] is not (':' or '：'))
            return false;

        text = text[(j + 1)..].TrimStart();
        depth += Math.Max(count, 1);
        return true;
    }

    /// <summary>"[Fwd: text]", the whole subject, is unwrapped (and counts as a forward).</summary>
    private static bool UnwrapForward(ref string text, ref int depth)
    {
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']' || text.IndexOf(']', StringComparison.Ordinal) != text.Length - 1)
            return false;
        var inner = text[1..^1].Trim();
        var before = depth;
        if (!StripPrefix(ref inner, ref depth) || inner.Length == 0)
        {
            depth = before;
            return false;
        }

        text = inner;
        return true;
    }

    /// <summary>A leading "[tag]" followed by more text; a subject that is only a tag keeps it as its text.</summary>
    private static bool TakeTag(ref string text, out string tag)
    {
        tag = "";
        if (text.Length < 2 || text[0] != '[')
            return false;
        var close = text.IndexOf(']', StringComparison.Ordinal);
        if (close < 0)
            return false;
        var rest = text[(close + 1)..].TrimStart();
        if (rest.Length == 0)
            return false;
        tag = text[1..close].Trim();
        text = rest;
        return true;
    }

    private static string Collapse(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
                builder.Append(' ');
            space = false;
            builder.Append(c);
        }

        return builder.ToString();
    }
}
