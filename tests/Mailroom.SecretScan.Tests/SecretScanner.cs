using System.Buffers;
using System.Text;

namespace Mailroom.SecretScan.Tests;

/// <summary>
/// Looks for secrets in bytes: each secret in plaintext and in the encodings a log or a protocol transcript would show
/// it in. A base64 encoder writes a secret differently depending on where it falls in its 3-byte groups, so each of the
/// three alignments gives one pattern (the characters that depend on the secret's bytes only); the whole SASL
/// responses that carry a password or a token (PLAIN <c>\0user\0pass</c>, XOAUTH2, OAUTHBEARER) are added as they are
/// encoded in full. Base64url forms of the same are included. Alignment patterns shorter than
/// <see cref="MinimumPatternLength"/> are left out (they would match random base64 by chance); the full SASL forms
/// still cover those secrets in transcripts.
/// </summary>
internal sealed class SecretScanner
{
    public const int MinimumPatternLength = 8;
    private const int ChunkSize = 4 * 1024 * 1024;

    // One pattern per byte text: when two secrets' forms give the same text, the first names the finding.
    private readonly Dictionary<string, Pattern> _byText = new(StringComparer.Ordinal);
    private readonly SearchValues<string> _search;
    private readonly int _longest;

    public SecretScanner(IEnumerable<Secret> secrets)
    {
        foreach (var secret in secrets)
        {
            foreach (var (form, text) in Forms(secret))
                _byText.TryAdd(text, new Pattern(secret, form, text));
        }
        if (_byText.Count == 0)
            throw new ArgumentException("no secret to look for", nameof(secrets));
        _search = SearchValues.Create([.. _byText.Keys], StringComparison.Ordinal);
        _longest = _byText.Keys.Max(k => k.Length);
    }

    /// <summary>How many distinct byte patterns are looked for.</summary>
    public int PatternCount => _byText.Count;

    /// <summary>Every (secret, form) found in the stream, with the byte offset where it starts.</summary>
    public List<Finding> Scan(Stream stream, string source)
    {
        var findings = new List<Finding>();
        // Bytes are read as Latin-1, one char per byte, so that offsets are byte offsets and any binary content
        // (SQLite pages, raw MIME) is searched as it is. Chunks overlap by the longest pattern less one byte.
        var buffer = new byte[ChunkSize + _longest];
        var chars = new char[buffer.Length];
        long bufferStart = 0;
        var carried = 0;
        var reported = new HashSet<(long, string)>();
        while (true)
        {
            var read = ReadFull(stream, buffer, carried, ChunkSize);
            var length = carried + read;
            if (length == 0)
                return findings;
            var span = chars.AsSpan(0, length);
            Encoding.Latin1.GetChars(buffer.AsSpan(0, length), span);
            var at = 0;
            while (at < length)
            {
                var hit = span[at..].IndexOfAny(_search);
                if (hit < 0)
                    break;
                var position = at + hit;
                foreach (var (text, pattern) in _byText)
                {
                    if (span[position..].StartsWith(text, StringComparison.Ordinal) && reported.Add((bufferStart + position, text)))
                        findings.Add(new Finding(source, bufferStart + position, pattern.Secret, pattern.Form));
                }
                at = position + 1;
            }
            if (read == 0)
                return findings;
            // Keep the tail that could hold the start of a pattern cut by the chunk boundary.
            var keep = Math.Min(_longest - 1, length);
            Buffer.BlockCopy(buffer, length - keep, buffer, 0, keep);
            bufferStart += length - keep;
            carried = keep;
        }
    }

    private static int ReadFull(Stream stream, byte[] buffer, int offset, int count)
    {
        var total = 0;
        while (total < count)
        {
            var n = stream.Read(buffer, offset + total, count - total);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }

    /// <summary>The forms a secret is looked for in: (name of the form, the exact text).</summary>
    public static IEnumerable<(string Form, string Text)> Forms(Secret secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret.Value);
        yield return ("plaintext", secret.Value);
        for (var alignment = 0; alignment < 3; alignment++)
        {
            if (Aligned(bytes, alignment) is { Length: >= MinimumPatternLength } core)
            {
                yield return ($"base64 (alignment {alignment})", core);
                if (core.Contains('+') || core.Contains('/'))
                    yield return ($"base64url (alignment {alignment})", ToUrl(core));
            }
        }
        foreach (var user in secret.UserNames)
        {
            var sasl = secret.Kind == SecretKind.Password
                ? new[] { ("SASL PLAIN", $"\0{user}\0{secret.Value}") }
                : [("XOAUTH2", $"user={user}\u0001auth=Bearer {secret.Value}\u0001\u0001"),
                   ("OAUTHBEARER", $"n,a={user},\u0001auth=Bearer {secret.Value}\u0001\u0001")];
            foreach (var (form, text) in sasl)
                yield return ($"{form} base64 ({user})", Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
        }
    }

    /// <summary>
    /// The base64 characters that depend only on <paramref name="bytes"/> when they are preceded by
    /// <paramref name="alignment"/> other bytes (0, 1 or 2) and followed by anything.
    /// </summary>
    public static string Aligned(byte[] bytes, int alignment)
    {
        var padded = new byte[alignment + bytes.Length];
        bytes.CopyTo(padded, alignment);
        var whole = (padded.Length / 3) * 3; // complete groups only: the last partial one depends on what follows
        var encoded = Convert.ToBase64String(padded, 0, whole);
        // The first group's characters that also depend on the preceding bytes: 0, 2 or 3 of them.
        var skip = alignment switch { 0 => 0, 1 => 2, _ => 3 };
        return encoded.Length > skip ? encoded[skip..] : "";
    }

    private static string ToUrl(string base64) => base64.Replace('+', '-').Replace('/', '_');

    private sealed record Pattern(Secret Secret, string Form, string Text);
}

internal enum SecretKind
{
    Password,
    Token,
}

/// <summary>A secret to look for. <see cref="ToString"/> never shows the value: findings are printed.</summary>
internal sealed record Secret(SecretKind Kind, string Name, string Value, IReadOnlyList<string> UserNames)
{
    public override string ToString() => $"{Kind} {Name}";
}

internal sealed record Finding(string Source, long Offset, Secret Secret, string Form)
{
    public override string ToString() => $"{Source} at byte {Offset}: {Secret.Kind} {Secret.Name} ({Form})";
}
