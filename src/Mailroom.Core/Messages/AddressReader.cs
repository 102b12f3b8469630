using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Mailroom.Core.Messages;

/// <summary>Reads the address headers of a message (From, Sender, Reply-To, To, Cc, Bcc) into <see cref="MessageAddress"/>es.</summary>
internal static class AddressReader
{
    private static readonly IdnMapping Idn = new();
    private static readonly System.Buffers.SearchValues<char> AddressSpecials = System.Buffers.SearchValues.Create("<>\"(),;");

    /// <summary>
    /// The mailboxes of every header with this id, groups flattened, names decoded (encoded words inside quoted names
    /// too), domains in Unicode. A piece that is not an address list, such as an encoded name followed by a bare
    /// address without angle brackets, is read as well as it can be and the problem recorded; nothing readable is dropped.
    /// </summary>
    public static IReadOnlyList<MessageAddress> Addresses(HeaderList headers, HeaderId id, NormalizationSession session)
    {
        List<MessageAddress>? result = null;
        foreach (var header in headers)
        {
            if (header.Id != id)
                continue;

            var raw = HeaderReader.HasNonUtf8EightBit(header.RawValue) ? HeaderReader.ReadEightBitAsUtf8(header, session) : header.RawValue;
            raw = EncodedWords.RewriteAddressHeader(raw);
            var options = MessageNormalizer.Options;

            result ??= [];
            if (InternetAddressList.TryParse(options, raw, out var list))
            {
                Flatten(list, result, depth: 0);
                continue;
            }

            // One bad address should not cost the others: read the comma-separated pieces one by one.
            var unread = false;
            foreach (var piece in Split(raw))
            {
                if (InternetAddressList.TryParse(options, piece, out var partial))
                {
                    Flatten(partial, result, depth: 0);
                }
                else if (BareAddress(piece, options) is { } bare)
                {
                    result.Add(bare);
                    session.Problems.Add($"{header.Field} header: the address {bare.Address} follows its display name without angle brackets; read as {ProblemList.Quote(bare.ToString())}");
                }
                else
                {
                    unread = true;
                }
            }

            if (unread && !raw.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
                session.Problems.Add($"{header.Field} header could not be fully read: {ProblemList.Quote(header.Value)}");
        }

        return result is null ? [] : result;
    }

    internal static MessageAddress? ToMessageAddress(MailboxAddress mailbox)
    {
        var address = mailbox.Address?.Trim();
        if (string.IsNullOrEmpty(address))
            return null;

        var at = address.LastIndexOf('@');
        if (at >= 0 && address.AsSpan(at + 1).Contains("xn--", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                address = string.Concat(address.AsSpan(0, at + 1), Idn.GetUnicode(address[(at + 1)..]));
            }
            catch (ArgumentException)
            {
                // Not valid punycode: keep the domain as written.
            }
        }

        var name = mailbox.Name?.Trim();
        return new MessageAddress(string.IsNullOrEmpty(name) ? null : name, address);
    }

    private static void Flatten(InternetAddressList list, List<MessageAddress> result, int depth)
    {
        foreach (var address in list)
        {
            switch (address)
            {
                case MailboxAddress mailbox when ToMessageAddress(mailbox) is { } normalized:
                    result.Add(normalized);
                    break;
                case GroupAddress group when depth < 8:
                    Flatten(group.Members, result, depth + 1);
                    break;
            }
        }
    }

    // Splits at commas that separate addresses: not inside a quoted name, a comment or angle brackets.
    private static List<byte[]> Split(byte[] raw)
    {
        var pieces = new List<byte[]>();
        int start = 0, comment = 0;
        bool quoted = false, angle = false;
        for (var i = 0; i <= raw.Length; i++)
        {
            if (i < raw.Length)
            {
                var b = raw[i];
                if (b == (byte)'\\' && (quoted || comment > 0))
                {
                    i++;
                    continue;
                }

                if (quoted)
                {
                    quoted = b != (byte)'"';
                    continue;
                }

                switch (b)
                {
                    case (byte)'"' when comment == 0:
                        quoted = true;
                        continue;
                    case (byte)'(':
                        comment++;
                        continue;
                    case (byte)')' when comment > 0:
                        comment--;
                        continue;
                    case (byte)'<' when comment == 0:
                        angle = true;
                        continue;
                    case (byte)'>' when comment == 0:
                        angle = false;
                        continue;
                    case not (byte)',':
                        continue;
                }

                if (comment > 0 || angle)
                    continue;
            }

            var piece = raw.AsSpan(start, Math.Min(i, raw.Length) - start);
            if (!piece.Trim(" \t\r\n"u8).IsEmpty)
                pieces.Add(piece.ToArray());
            start = i + 1;
        }

        return pieces;
    }

    // "Display Name user@example.com": a phrase (often one encoded word) then an addr-spec without angle brackets,
    // as some Korean and Japanese mailers write From and To. The last word is the address when it is one.
    private static MessageAddress? BareAddress(byte[] piece, ParserOptions options)
    {
        var text = Encoding.UTF8.GetString(piece).Trim();
        var space = text.LastIndexOfAny([' ', '\t', '\r', '\n']);
        if (space <= 0)
            return null;

        var address = text[(space + 1)..].Trim('<', '>');
        if (!address.Contains('@', StringComparison.Ordinal) || address.AsSpan().IndexOfAny(AddressSpecials) >= 0
            || !MailboxAddress.TryParse(options, address, out var mailbox) || ToMessageAddress(mailbox) is not { } parsed)
        {
            return null;
        }

        var phrase = HeaderReader.Unfold(text[..space]).Trim();
        if (phrase.Length >= 2 && phrase[0] == '"' && phrase[^1] == '"')
            phrase = phrase[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
        var name = EncodedWords.DecodeLenient(Rfc2047.DecodePhrase(options, Encoding.UTF8.GetBytes(phrase))).Trim();
        return parsed with { Name = name.Length == 0 ? null : name };
    }
}
