using System.Globalization;
using MimeKit;
using MimeKit.Tnef;

namespace Mailroom.Core.Messages;

/// <summary>
/// What an Outlook <c>winmail.dat</c> (application/ms-tnef) carries, unpacked with MimeKit's <see cref="TnefPart"/>:
/// its body (HTML, compressed RTF or plain text) and its attached files. The TNEF part stays an attachment of its
/// own; each file in it is numbered <c>PATH/tnef/N</c> after the TNEF part's number, N counting from 1 in MimeKit's order.
/// </summary>
internal static class TnefContent
{
    private const string Separator = "/tnef/";

    /// <summary>The number of the <paramref name="index"/>th (from 0) part unpacked from the TNEF part numbered <paramref name="tnefPath"/>.</summary>
    public static string PathOf(string tnefPath, int index) =>
        tnefPath + Separator + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Splits <c>2/tnef/3</c> into the TNEF part's number and the index (from 0) of the part in it.</summary>
    public static bool TrySplit(string path, out string tnefPath, out int index)
    {
        var at = path.LastIndexOf(Separator, StringComparison.Ordinal);
        if (at > 0 && int.TryParse(path.AsSpan(at + Separator.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
        {
            (tnefPath, index) = (path[..at], number - 1);
            return true;
        }

        (tnefPath, index) = ("", -1);
        return false;
    }

    /// <summary>
    /// The parts unpacked from <paramref name="tnef"/>, with a media type guessed from the file name where TNEF
    /// says only application/octet-stream; null, with the problem recorded, when the TNEF data cannot be read.
    /// The caller disposes the returned message.
    /// </summary>
    public static MimeMessage? Unpack(TnefPart tnef, string where, ProblemList? problems)
    {
        try
        {
            var message = tnef.ConvertToMessage();
            foreach (var part in message.BodyParts.OfType<MimePart>())
            {
                if (part.ContentType.IsMimeType("application", "octet-stream") && !string.IsNullOrWhiteSpace(part.FileName)
                    && MimeTypes.GetMimeType(part.FileName) is { } guessed && guessed.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash)
                {
                    part.ContentType.MediaType = guessed[..slash];
                    part.ContentType.MediaSubtype = guessed[(slash + 1)..];
                }
            }

            return message;
        }
        catch (Exception ex)
        {
            problems?.Add($"{where}: winmail.dat (TNEF) could not be unpacked ({ex.GetType().Name})");
            return null;
        }
    }

    /// <summary>The unpacked parts in order: the numbering of <see cref="PathOf"/>.</summary>
    public static List<MimePart> Parts(MimeMessage unpacked) => [.. unpacked.BodyParts.OfType<MimePart>()];

    /// <summary>True for the TNEF message's own body (HTML, RTF or plain text), as opposed to an attached file.</summary>
    public static bool IsBody(MimePart part) =>
        part is TextPart && !BodySelector.IsAttachment(part) && string.IsNullOrWhiteSpace(part.FileName)
        && (part.ContentType.IsMimeType("text", "html") || part.ContentType.IsMimeType("text", "rtf") || part.ContentType.IsMimeType("text", "plain"));
}
