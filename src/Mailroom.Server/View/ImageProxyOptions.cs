namespace Mailroom.Server.View;

/// <summary>Limits of the image proxy (configuration section <c>ImageProxy</c>).</summary>
internal sealed class ImageProxyOptions
{
    /// <summary>Largest image fetched; a bigger one is refused (default 5 MiB).</summary>
    public long MaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Deadline for the whole fetch, redirects included (default 10 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Redirects followed, each checked like the first request (default 5).</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Ports the proxy may connect to (default 80 and 443).</summary>
    public HashSet<int> AllowedPorts { get; set; } = [80, 443];

    /// <summary>How long a fetched image is served from memory (default 1 hour).</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Memory the cache may hold (default 64 MiB).</summary>
    public long CacheBytes { get; set; } = 64 * 1024 * 1024;
}
