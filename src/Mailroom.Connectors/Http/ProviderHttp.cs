namespace Mailroom.Connectors.Http;

/// <summary>The one HTTP client a provider connector shares among its mailboxes.</summary>
internal static class ProviderHttp
{
    /// <summary>
    /// Pooled connections, renewed every 5 minutes (so that a DNS change is seen), compressed answers accepted, and no
    /// client-wide timeout: each request has its own deadline (<see cref="ProviderRequestPolicy.RequestTimeout"/>).
    /// </summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
