namespace Mailroom.Server.View;

/// <summary>What the image proxy fetched: an image, or the status and reason it was refused.</summary>
internal sealed record ProxyResult(int Status, byte[]? Body, string? ContentType, string? Reason)
{
    public static ProxyResult Image(byte[] body, string contentType) => new(StatusCodes.Status200OK, body, contentType, null);
    public static ProxyResult Refused(int status, string reason) => new(status, null, null, reason);
}
