namespace Mailroom.Connectors.GmailApi;

/// <summary>RFC 4648 §5 base64url, padded or not, as Gmail's <c>raw</c> fields carry MIME.</summary>
internal static class Base64Url
{
    public static byte[] Decode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text.TrimEnd('='));

    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
