using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Mailroom.Server.View;

/// <summary>
/// Signs image proxy URLs (HMAC-SHA256 with a key kept in the data folder), so the proxy fetches only URLs that
/// Mailroom itself put into a view: it is not an open proxy.
/// </summary>
internal sealed class ProxyUrlSigner(byte[] key)
{
    public const string Path = "/view/proxy";
    private const string KeyFile = "view-signing.key";

    /// <summary>The signer whose key is in <paramref name="dataPath"/>, created there (owner-only) on first use.</summary>
    public static ProxyUrlSigner ForDataFolder(string dataPath)
    {
        var file = System.IO.Path.Combine(dataPath, KeyFile);
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(dataPath);
            var fresh = RandomNumberGenerator.GetBytes(32);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(file, options);
                stream.Write(fresh);
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process created it first: use theirs.
            }
        }
        var key = File.ReadAllBytes(file);
        if (key.Length < 32)
            throw new InvalidOperationException($"{file} is shorter than 32 bytes; delete it to have a new key made.");
        return new ProxyUrlSigner(key);
    }

    /// <summary>The proxy URL (absolute path and query) for the remote image <paramref name="url"/>.</summary>
    public string Sign(Uri url)
    {
        var target = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(url.AbsoluteUri));
        return $"{Path}?u={target}&s={Mac(target)}";
    }

    /// <summary>The URL a signed proxy request names, or null when the signature does not match.</summary>
    public Uri? Verify(string? target, string? signature)
    {
        if (string.IsNullOrEmpty(target) || string.IsNullOrEmpty(signature))
            return null;
        var expected = Encoding.ASCII.GetBytes(Mac(target));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
            return null;
        try
        {
            return Uri.TryCreate(Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(target)), UriKind.Absolute, out var uri) ? uri : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private string Mac(string target) => WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(target)));
}
