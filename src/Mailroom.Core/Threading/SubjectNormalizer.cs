using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Mailroom.Core.Threading;

/// <summary>
/// The base subject of a message for threading: reply and forward prefixes in many languages removed ("Re:", "Fwd:",
/// "AW:", "Отв:", "回复:", "Re[2]:", "RE :"), mailing-list tags such as "[list]" dropped, a subject wrapped as
/// "[Fwd: ...]" unwrapped, whitespace collapsed, lower-cased. Generic subjects ("hi", "invoice", "(no subject)", ...)
/// are recognized so that the subject rule never joins messages on them.
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
        "без темы", "(без темы)", "无主题", "(无主题)", "test", "testing", "test message", "тест", "测试", "update", "updates",
        "status update", "обновление", "meeting", "meeting request", "besprechung", "termin", "réunion", "reunión",
        "встреча", "会议", "invoice", "rechnung", "facture", "factura", "счет", "счёт", "发票", "thanks", "thank you",
        "danke", "merci", "gracias", "спасибо", "谢谢", "info", "information", "fyi", "request", "inquiry", "enquiry",
        "anfrage", "follow up", "follow-up", "followup", "reminder", "urgent", "important", "document", "documents",
        "attachment", "anhang", "scan", "scanned document", "photo", "photos", "hello world", "help", "hilfe", "ayuda",
        "помощь", "offer", "angebot", "offre", "oferta", "предложение", "contact", "kontakt", "contacto", "контакт", "cv",
        "resume", "résumé", "lebenslauf", "резюме", "application", "bewerbung", "candidature", "заявка");

    private static readonly char[] Punctuation = ['.', ',', '!', '?', '¡', '¿', ':', ';', '-', '(', ')', '[', ']', '"', '\'', '…', '！', '？', '。', ' '];

    /// <summary>The threading key of a subject: its base subject, lower-case; empty for none.</summary>
    public static string Key(string? subject) => Normalize(subject, out _).ToLowerInvariant();

    /// <summary>The threading key of a subject, or null when it is generic (it must never join messages).</summary>
    public static string? KeyOrNull(string? subject)
    {
        var key = Key(subject);
        return IsGenericKey(key) ? null : key;
    }

    /// <summary>Whether the subject carries a reply or forward prefix (the message answers or passes on another).</summary>
    public static bool IsReply(string? subject)
    {
        Normalize(subject, out var depth);
        return depth > 0;
    }

    /// <summary>Whether a key from <see cref="Key"/> is too generic to join messages: a listed word, or no letters worth two.</summary>
    public static bool IsGenericKey(string key)
    {
        if (Generic.Contains(key) || Generic.Contains(key.Trim(Punctuation)))
            return true;
        var letters = 0;
        foreach (var rune in key.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
                letters += rune.Value >= 0x2E80 ? 2 : 1; // one CJK character is a word
        }

        return letters < 3;
    }

    /// <summary>The base subject, case kept; <paramref name="depth"/> counts the prefixes removed ("Re[3]:" counts 3).</summary>
    public static string Normalize(string? subject, out int depth)
    {
        depth = 0;
        if (string.IsNullOrWhiteSpace(subject))
            return "";

        var text = Collapse(subject);
        while (true)
        {
            if (StripPrefix(ref text, ref depth) || StripTag(ref text, ref depth))
                continue;
            break;
        }

        if (text.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^5].TrimEnd();
            depth++;
        }

        return text;
    }

    private static bool StripPrefix(ref string text, ref int depth)
    {
        var i = 0;
        while (i < text.Length && (char.IsLetter(text[i]) || char.IsWhiteSpace(text[i])) && i < 24)
        {
            if (text[i] is ':' or '：')
                break;
            i++;
        }

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

    /// <summary>"[list] text" loses its tag; "[Fwd: text]" is unwrapped (and counts as a forward).</summary>
    private static bool StripTag(ref string text, ref int depth)
    {
        if (text.Length < 2 || text[0] != '[')
            return false;
        var close = text.IndexOf(']', StringComparison.Ordinal);
        if (close < 0)
            return false;
        if (close == text.Length - 1)
        {
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

        var rest = text[(close + 1)..].TrimStart();
        if (rest.Length == 0)
            return false;
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
