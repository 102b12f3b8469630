namespace Mailroom.Connectors.Discovery;

/// <summary>A source answered with something unusable (a DNS error, an invalid document). Reported, never thrown out of discovery.</summary>
internal sealed class DiscoveryFailure(string message, Exception? inner = null) : Exception(message, inner);
