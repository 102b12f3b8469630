using System.Globalization;
using System.Text;

namespace Mailroom.Core.Messages;

/// <summary>
/// Reads an Outlook RTF body (from a TNEF <c>winmail.dat</c>): the HTML it encapsulates when Outlook wrapped an
/// HTML message (<c>\fromhtml1</c>, [MS-OXRTFEX]), otherwise its visible text. Formatting, fonts, pictures and
/// field codes are dropped. Never throws on malformed input; unbalanced groups simply end.
/// </summary>
internal static class RtfText
{
    // Destinations whose content is never text a reader sees.
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "headerl", "headerr", "headerf", "footer",
        "footerl", "footerr", "footerf", "xmlnstbl", "listtable", "listoverridetable", "rsidtbl", "generator", "themedata",
        "colorschememapping", "latentstyles", "datastore", "mmathPr", "pgdsctbl", "fldinst", "filetbl", "revtbl", "bkmkstart",
        "bkmkend", "userprops", "operator", "author", "title", "nonshppict", "shppict", "objdata", "blipuid",
    };

    /// <summary>The RTF read as HTML when it encapsulates HTML, else as plain text.</summary>
    public static (string Text, bool IsHtml) Read(ReadOnlySpan<byte> rtf)
    {
        var reader = new Reader(rtf);
        reader.Run();
        return (reader.Output, reader.FromHtml);
    }

    private ref struct Reader(ReadOnlySpan<byte> rtf)
    {
        private readonly ReadOnlySpan<byte> input = rtf;
        private readonly StringBuilder output = new();
        private readonly List<byte> pending = [];
        private readonly Stack<(bool Skip, int UcSkip, bool HtmlRtf, bool HtmlTag)> groups = new();
        private Encoding encoding = Charsets.Windows1252;
        private int position;
        private int skipChars;
        private bool skip;
        private bool htmlRtf;
        private bool htmlTag;
        private int ucSkip = 1;
        private bool starred;

        public bool FromHtml { get; private set; }

        public readonly string Output => output.ToString();

        public void Run()
        {
            while (position < input.Length)
            {
                var c = input[position++];
                switch (c)
                {
                    case (byte)'{':
                        Flush();
                        groups.Push((skip, ucSkip, htmlRtf, htmlTag));
                        starred = false;
                        break;
                    case (byte)'}':
                        Flush();
                        if (groups.TryPop(out var state))
                            (skip, ucSkip, htmlRtf, htmlTag) = state;
                        starred = false;
                        break;
                    case (byte)'\\':
                        Control();
                        break;
                    case (byte)'\r' or (byte)'\n':
                        break;
                    default:
                        Flush();
                        Emit((char)c);
                        break;
                }
            }

            Flush();
        }

        private void Control()
        {
            if (position >= input.Length)
                return;

            var c = input[position];
            if (c == (byte)'\'')
            {
                position++;
                if (position + 2 <= input.Length
                    && byte.TryParse(input.Slice(position, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
                {
                    position += 2;
                    if (skipChars > 0)
                        skipChars--;
                    else if (Visible)
                        pending.Add(value);
                }

                return;
            }

            if (!IsLetter(c))
            {
                position++;
                Flush();
                switch (c)
                {
                    case (byte)'*':
                        starred = true;
                        break;
                    case (byte)'~':
                        Emit('\u00a0');
                        break;
                    case (byte)'_':
                        Emit('-');
                        break;
                    case (byte)'\r' or (byte)'\n':
                        Emit('\n');
                        break;
                    case (byte)'\\' or (byte)'{' or (byte)'}':
                        Emit((char)c);
                        break;
                }

                return;
            }

            var start = position;
            while (position < input.Length && IsLetter(input[position]))
                position++;
            var word = Encoding.ASCII.GetString(input[start..position]);
            int? parameter = null;
            var numberStart = position;
            if (position < input.Length && (input[position] == (byte)'-' || IsDigit(input[position])))
            {
                position++;
                while (position < input.Length && IsDigit(input[position]))
                    position++;
                if (int.TryParse(input[numberStart..position], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    parameter = number;
            }

            if (position < input.Length && input[position] == (byte)' ')
                position++;

            if (word != "u" || skipChars == 0)
                Flush();
            Word(word, parameter);
        }

        private void Word(string word, int? parameter)
        {
            var wasStarred = starred;
            starred = false;
            switch (word)
            {
                case "fromhtml":
                    FromHtml = true;
                    return;
                case "htmltag" or "mhtmltag" when FromHtml:
                    // The HTML itself: its group's text is markup to keep even inside \htmlrtf.
                    htmlTag = true;
                    skip = false;
                    return;
                case "htmlrtf":
                    htmlRtf = parameter != 0;
                    return;
                case "ansicpg" when parameter is > 0:
                    try
                    {
                        encoding = Encoding.GetEncoding(parameter.Value);
                    }
                    catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
                    {
                        // An unknown code page: keep reading in the previous one.
                    }

                    return;
                case "uc" when parameter is >= 0:
                    ucSkip = parameter.Value;
                    return;
                case "u" when parameter is { } code:
                    Emit((char)(code < 0 ? code + 65536 : code));
                    skipChars = ucSkip;
                    return;
                case "bin" when parameter is > 0:
                    position = Math.Min(input.Length, position + parameter.Value);
                    return;
                case "par" or "line" or "sect" or "page" or "row":
                    Emit('\n');
                    return;
                case "tab" or "cell":
                    Emit('\t');
                    return;
                case "emdash":
                    Emit('\u2014');
                    return;
                case "endash":
                    Emit('\u2013');
                    return;
                case "bullet":
                    Emit('\u2022');
                    return;
                case "lquote":
                    Emit('\u2018');
                    return;
                case "rquote":
                    Emit('\u2019');
                    return;
                case "ldblquote":
                    Emit('\u201c');
                    return;
                case "rdblquote":
                    Emit('\u201d');
                    return;
            }

            if (Skipped.Contains(word) || wasStarred)
                skip = true;
        }

        private readonly bool Visible => !skip && (htmlTag || !(FromHtml && htmlRtf));

        private void Emit(char c)
        {
            if (skipChars > 0)
            {
                skipChars--;
                return;
            }

            if (Visible)
                output.Append(c);
        }

        private readonly void Flush()
        {
            if (pending.Count == 0)
                return;
            output.Append(encoding.GetString([.. pending]));
            pending.Clear();
        }

        private static bool IsLetter(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z';

        private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
    }
}
