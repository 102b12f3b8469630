namespace Mailroom.Connectors.Discovery;

/// <summary>
/// Discovery settings (<c>Discovery:...</c>). The defaults are the real world's; tests change the resolver, the
/// autoconfig scheme and port, the probe ports and the trusted CA so that everything runs on 127.0.0.1.
/// </summary>
public sealed class DiscoveryOptions
{
    /// <summary>DNS server as <c>ADDRESS</c> or <c>ADDRESS:PORT</c>; empty = the system's resolver.</summary>
    public string? DnsServer { get; set; }

    /// <summary><c>https</c>; <c>http</c> only for tests.</summary>
    public string AutoconfigScheme { get; set; } = "https";

    /// <summary>Port of the autoconfig web servers; empty = the scheme's default.</summary>
    public int? AutoconfigPort { get; set; }

    /// <summary>Ports probed when guessing host names.</summary>
    public ProbePortSettings ProbePorts { get; set; } = new();

    /// <summary>The port of the POX Autodiscover hosts (autodiscover.DOMAIN and DOMAIN); null for https's own (tests set one).</summary>
    public int? AutodiscoverPort { get; set; }

    /// <summary>A PEM file with extra CA certificates to trust for autoconfig servers and probed mail servers.</summary>
    public string? TrustedCaFile { get; set; }

    /// <summary>The whole discovery: sources still running then are reported as timed out.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(4.5);

    /// <summary>One look-up: a DNS query, an autoconfig download.</summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Connecting to one candidate: TCP, TLS, greeting and capabilities.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Providers added to (and consulted before) the built-in table.</summary>
    public List<ProviderSettings> Providers { get; set; } = [];

    public sealed class ProbePortSettings
    {
        public int Imaps { get; set; } = 993;
        public int Imap { get; set; } = 143;
        public int Pop3s { get; set; } = 995;
        public int Pop3 { get; set; } = 110;
        public int Submissions { get; set; } = 465;
        public int Submission { get; set; } = 587;
    }

    /// <summary>Throws with the setting's name when a value cannot work.</summary>
    public void Validate()
    {
        if (AutoconfigScheme is not ("https" or "http"))
            throw new InvalidOperationException($"Discovery:AutoconfigScheme must be https or http (was '{AutoconfigScheme}').");
        if (AutoconfigPort is < 1 or > 65535)
            throw new InvalidOperationException($"Discovery:AutoconfigPort must be 1-65535 (was {AutoconfigPort}).");
        if (Timeout <= TimeSpan.Zero || LookupTimeout <= TimeSpan.Zero || ProbeTimeout <= TimeSpan.Zero)
            throw new InvalidOperationException("Discovery:Timeout, LookupTimeout and ProbeTimeout must be positive.");
        if (TrustedCaFile is { Length: > 0 } ca && !File.Exists(ca))
            throw new InvalidOperationException($"Discovery:TrustedCaFile: no such file {ca}.");
        if (DnsServer is { Length: > 0 } && !DnsLookup.TryParseEndPoint(DnsServer, out _))
            throw new InvalidOperationException($"Discovery:DnsServer must be ADDRESS or ADDRESS:PORT (was '{DnsServer}').");
        foreach (var p in Providers)
            p.ToProvider();
    }
}
