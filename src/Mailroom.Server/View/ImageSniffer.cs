namespace Mailroom.Server.View;

/// <summary>Checks that bytes served as an image start like that image format, so a page cannot pass as a picture.</summary>
internal static class ImageSniffer
{
    public static bool Matches(ReadOnlySpan<byte> b, string contentType) => contentType.ToLowerInvariant() switch
    {
        "image/png" => b.StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        "image/jpeg" or "image/pjpeg" => b.StartsWith((byte[])[0xFF, 0xD8, 0xFF]),
        "image/gif" => b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8),
        "image/webp" => b.Length >= 12 && b.StartsWith("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WEBP"u8),
        "image/avif" => b.Length >= 12 && b.Slice(4, 4).SequenceEqual("ftyp"u8),
        "image/bmp" => b.StartsWith("BM"u8),
        "image/x-icon" or "image/vnd.microsoft.icon" => b.StartsWith((byte[])[0, 0, 1, 0]),
        _ => false,
    };
}
