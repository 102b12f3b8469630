using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Mailroom.Server.View;

/// <summary>
/// Signs the view's URLs with HMAC-SHA256 and a key kept in the data folder:
/// <list type="bullet">
/// <item>image proxy URLs, so the proxy fetches only URLs that Mailroom itself put into a view (it is not an open proxy);</item>
/// <item>links to a message's view, which a browser opens in an iframe and so cannot carry the API key: the API hands
/// out a link that names the message and an expiry, and the view serves nothing without a valid one.</item>
/// </list>
/// The two never collide: a proxy signature covers base64url text, a link signature text with ':' in it.
/// </summary>
internal sealed class ViewUrlSigner(byte[] key)
{
    public const string Path = "/view/proxy";
    private const string KeyFile = "view-signing.key";

    /// <summary>
    /// Cluster mode: every node signs and checks with the same key, kept in the shared database as Data Protection
    /// ciphertext (so under the operator's certificate, like the mailboxes' secrets) and made by the first node that
    /// needs it.
    /// </summary>
    public static async Task<ViewUrlSigner> ForClusterAsync(
        Mailroom.Storage.Cluster.ClusterSecretStore secrets, IDataProtectionProvider protection,
        CancellationToken cancellationToken)
    {
        var protector = protection.CreateProtector("Mailroom.ViewLinkKey");
        var stored = await secrets.GetOrAddAsync(
            "view-signing-key", () => protector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), cancellationToken);
        return new ViewUrlSigner(Convert.FromBase64String(protector.Unprotect(stored)));
    }

    /// <summary>The signer whose key is in <paramref name="dataPath"/>, created there (owner-only) on first use.</summary>
    public static ViewUrlSigner ForDataFolder(string dataPath)
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
        return new ViewUrlSigner(key);
    }

    /// <summary>
    /// The proxy URL (absolute path and query) for the remote image <paramref name="url"/>, or null when its host can
    /// only be internal (an internal address or name, <see cref="InternalHostNames"/>): such an image is blocked, not
    /// proxied, and the proxy's check when connecting stays the guard for names that resolve inward.
    /// </summary>
    public string? Sign(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (InternalHostNames.RefusalReason(url) is not null)
            return null;
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

    /// <summary>
    /// The query (<c>e=EXPIRY&amp;s=SIGNATURE</c>, expiry in Unix seconds) that opens message <paramref name="id"/>'s view
    /// until <paramref name="expires"/>, for the page and everything it loads (document, inline images, parts).
    /// </summary>
    public string SignMessage(long id, DateTimeOffset expires)
    {
        var e = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"e={e}&s={Mac(MessageScope(id, e))}";
    }

    /// <summary>Whether <paramref name="expires"/> and <paramref name="signature"/> open message <paramref name="id"/>'s view at <paramref name="now"/>.</summary>
    public bool VerifyMessage(long id, string? expires, string? signature, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signature) || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var e)
            || now.ToUnixTimeSeconds() > e)
            return false;
        var expected = Encoding.ASCII.GetBytes(Mac(MessageScope(id, expires!)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private static string MessageScope(long id, string expires) =>
        string.Create(CultureInfo.InvariantCulture, $"view:{id}:{expires}");

    private string Mac(string target) => WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(target)));
}
