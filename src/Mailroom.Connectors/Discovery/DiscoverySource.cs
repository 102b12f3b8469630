namespace Mailroom.Connectors.Discovery;

/// <summary>Where settings can come from, best first: this order is the precedence.</summary>
public enum DiscoverySource
{
    /// <summary>The built-in table of large providers (plus any configured in <c>Discovery:Providers</c>).</summary>
    Provider,

    /// <summary>The domain's Thunderbird autoconfig document.</summary>
    Autoconfig,

    /// <summary>RFC 6186 SRV records.</summary>
    Srv,

    /// <summary>MX records that point at a known provider.</summary>
    Mx,

    /// <summary>Guessed host names (<c>imap.</c>, <c>mail.</c>, <c>smtp.</c>, <c>pop.</c>) probed on the standard ports.</summary>
    Prefix,
}
