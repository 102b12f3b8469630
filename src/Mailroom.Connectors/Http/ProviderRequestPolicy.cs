namespace Mailroom.Connectors.Http;

/// <summary>How long one request may take and how often, and after how long, a provider API request is tried again.</summary>
/// <param name="RetryInitial">First retry delay without a Retry-After; doubles per retry, with jitter, up to <paramref name="RetryCap"/>.</param>
/// <param name="RetryCap">The longest wait, whether chosen here or asked for by Retry-After.</param>
internal sealed record ProviderRequestPolicy(TimeSpan RequestTimeout, int MaxRetries, TimeSpan RetryInitial, TimeSpan RetryCap);
